import type { AppContext } from "../context.ts";
import { registerAccessLogRoutes } from "./access-log.ts";
import { registerBlacklistRoutes } from "./blacklist.ts";
import { registerComplaintRoutes } from "./complaints.ts";
import { registerDelegationRoutes } from "./delegations.ts";
import { registerGrantRoutes } from "./grant-routes.ts";

/** Grants (as FHIR Consents), the patient's access log, guardians, complaints and the blacklist. */
export function registerConsentRoutes(ctx: AppContext): void {
  registerGrantRoutes(ctx);
  registerAccessLogRoutes(ctx);
  registerDelegationRoutes(ctx);
  registerComplaintRoutes(ctx);
  registerBlacklistRoutes(ctx);
}
