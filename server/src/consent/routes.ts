import type { AppContext } from "../context.ts";

export function registerConsentRoutes(ctx: AppContext): void {
  void ctx;
}
