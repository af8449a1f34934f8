import type { AppContext } from "../context.ts";

export function registerProcessRoutes(ctx: AppContext): void {
  void ctx;
}
