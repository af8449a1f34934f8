import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import type { EmrRecord } from "../generated/prisma/client.ts";
import type { Action, ResourceFacts } from "./policy.ts";

// What the policy needs to know about a resource in relation to the caller, read from the mirror.

/** Whether the caller acts for `patient` under a delegation that is active now (any scope: the
 *  contracts check the scope of each signed act). */
export async function isDelegateOf(
  ctx: AppContext,
  session: Session | null,
  patient: string | null | undefined,
): Promise<boolean> {
  if (!session || !patient || session.address === patient) return false;
  const now = BigInt(Date.now());
  const d = await ctx.prisma.delegation.findUnique({
    where: { patient_delegate: { patient, delegate: session.address } },
  });
  return !!d && !d.revoked && d.validFrom <= now && now <= d.validUntil;
}

/** Who may hold a grant for the caller: the caller, and a doctor's hospital. */
export function granteesOf(session: Session): string[] {
  const hospital = session.roles.includes("doctor") ? session.member?.hospital : null;
  return hospital ? [session.address, hospital] : [session.address];
}

/** The best level among the active grants that cover the record for the caller (0 if none), as the
 *  mirror has them; reads that must be exact ask the chain (record-access.ts). */
export async function mirroredGrantLevel(
  ctx: AppContext,
  session: Session,
  record: Pick<EmrRecord, "recordId" | "patient" | "category">,
): Promise<number> {
  const scopes = record.category ? [record.recordId, record.category] : [record.recordId];
  const best = await ctx.prisma.consentGrant.findFirst({
    where: {
      patient: record.patient,
      grantee: { in: granteesOf(session) },
      scope: { in: scopes },
      revoked: false,
      expiresAt: { gt: BigInt(Date.now()) },
    },
    orderBy: { level: "desc" },
    select: { level: true },
  });
  return best?.level ?? 0;
}

export async function recordFacts(
  ctx: AppContext,
  session: Session | null,
  record: EmrRecord | null,
): Promise<ResourceFacts> {
  if (!record || !session) return {};
  const [delegate, grantLevel] = await Promise.all([
    isDelegateOf(ctx, session, record.patient),
    mirroredGrantLevel(ctx, session, record),
  ]);
  return { owner: record.patient, doctor: record.doctor, hospital: record.hospital, delegate, grantLevel };
}

/** Facts about something a patient owns (a grant, a visit, their points): owner and guardian. */
export async function patientFacts(
  ctx: AppContext,
  session: Session | null,
  patient: string | null | undefined,
  extra: ResourceFacts = {},
): Promise<ResourceFacts> {
  return { owner: patient, delegate: await isDelegateOf(ctx, session, patient), ...extra };
}

/** Authorizes `action` on a patient (resource `patient:<address>`), knowing whether the caller is that
 *  patient or their guardian. */
export async function authorizeForPatient(
  ctx: AppContext,
  session: Session | null,
  action: Action,
  patient: string,
  requestId: string,
): Promise<void> {
  await ctx.audit.authorize(
    session,
    action,
    `patient:${patient}`,
    await patientFacts(ctx, session, patient),
    requestId,
  );
}
