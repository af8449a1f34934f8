// Timing shared by the benchmarks: wall-clock mean, p50 and p95 of a set of samples, plus the process's
// mean CPU time per sample (on a shared 2-core machine other work inflates wall time but not CPU time).

export interface Stats {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

const round = (x: number) => Number(x.toFixed(3));

export function statsOf(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return {
    samples: s.length,
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
  };
}

/** Runs `run` `samples` times one after another (`before` untimed before each) and returns its timings. */
export async function timeRuns(
  samples: number,
  run: (i: number) => unknown,
  before?: () => void,
): Promise<Stats & { cpuMeanMs: number }> {
  const ms: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < samples; i++) {
    before?.();
    const t = performance.now();
    await run(i);
    ms.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  return { ...statsOf(ms), cpuMeanMs: round((cpu.user + cpu.system) / 1000 / samples) };
}

/** The duration of one call, in ms. */
export async function timeOnce(run: () => unknown): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}
