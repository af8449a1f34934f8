import type { AppContext } from "../context.ts";

export function registerRegulatorRoutes(ctx: AppContext): void {
  void ctx;
}
