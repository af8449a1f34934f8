import type { AppContext } from "../context.ts";
import { registerCertificationRoutes } from "./certification.ts";
import { registerLevelRoutes } from "./levels.ts";

/** A member's standing beyond membership: hospitals' levels and doctors' certifications. */
export function registerStandingRoutes(ctx: AppContext): void {
  registerLevelRoutes(ctx);
  registerCertificationRoutes(ctx);
}
