import type { AppContext } from "../context.ts";

export function registerHospitalRoutes(ctx: AppContext): void {
  void ctx;
}
