import type { AppContext } from "../context.ts";

export function registerPointsRoutes(ctx: AppContext): void {
  void ctx;
}
