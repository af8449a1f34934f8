import type { Server } from "node:http";
import { ConfigError, loadConfig } from "./config.ts";
import { createApp } from "./app.ts";

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
const { app, context, close } = await createApp(config);
const server: Server = app.listen(config.port, config.host, () => {
  context.logger.info(`API on http://${config.host}:${config.port}/api (docs at /api/docs)`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  context.logger.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  server.close();
  server.closeIdleConnections();
  await close();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
