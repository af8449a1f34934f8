// The devnode logs through a tiny interface so tests can silence it and main.ts can use the console.
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(`[devnode] ${m}`),
  warn: (m) => console.warn(`[devnode] WARN ${m}`),
  error: (m) => console.error(`[devnode] ERROR ${m}`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
