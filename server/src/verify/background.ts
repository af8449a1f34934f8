import type { AppContext } from "../context.ts";
import { runnerOf } from "./runs.ts";

/** The first run waits this long after start, so that the indexer has begun to catch up. */
const FIRST_RUN_DELAY_MS = 5_000;

/**
 * The periodic check of the mirror against the chain: once shortly after start, then every
 * VERIFY_INTERVAL_MS (counted from the end of the previous run, so runs never pile up); 0 turns it
 * off. Each run is a `verification_runs` row; see runs.ts.
 */
export function startBackgroundCheck(ctx: AppContext): { stop(): Promise<void> } {
  const interval = ctx.config.verifyIntervalMs;
  const runner = runnerOf(ctx);
  if (interval <= 0) return { stop: () => runner.stop() };

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      runner
        .run()
        .catch((err: unknown) => {
          if (!stopped) ctx.logger.error({ err }, "background verification failed");
        })
        .finally(() => schedule(interval));
    }, delay);
    // A pending check never keeps the process alive on its own.
    timer.unref();
  };
  schedule(Math.min(FIRST_RUN_DELAY_MS, interval));

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await runner.stop();
    },
  };
}
