import type { AppContext } from "../context.ts";

export function registerAuditRoutes(ctx: AppContext): void {
  void ctx;
}
