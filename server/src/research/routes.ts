import type { AppContext } from "../context.ts";

export function registerResearchRoutes(ctx: AppContext): void {
  void ctx;
}
