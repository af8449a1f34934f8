import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";

// Whose patient data a caller may see in lists: their own as a patient, and that of every patient who
// named them guardian under a delegation active now.

/** Patients whose delegation to the caller is active now. */
export async function delegatorsOf(ctx: AppContext, session: Session): Promise<string[]> {
  const now = BigInt(Date.now());
  const rows = await ctx.prisma.delegation.findMany({
    where: { delegate: session.address, revoked: false, validFrom: { lte: now }, validUntil: { gte: now } },
    select: { patient: true },
  });
  return rows.map((r) => r.patient);
}

/** The caller as a patient (if they are one) and the patients they are guardian of. */
export async function patientsActingFor(ctx: AppContext, session: Session): Promise<string[]> {
  const delegators = await delegatorsOf(ctx, session);
  return hasRole(session, "patient") ? [session.address, ...delegators] : delegators;
}
