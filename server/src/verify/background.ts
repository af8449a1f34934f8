import type { AppContext } from "../context.ts";

/** The periodic check of the mirror against the chain. */
export function startBackgroundCheck(ctx: AppContext): { stop(): Promise<void> } {
  void ctx;
  return { stop: async () => {} };
}
