import type { AppContext } from "../context.ts";

export function registerEmergencyRoutes(ctx: AppContext): void {
  void ctx;
}
