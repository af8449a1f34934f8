import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { granteesOf } from "../access/facts.ts";
import { patientsActingFor } from "../consent/acting-for.ts";
import { statusWhere } from "../consent/grants.ts";
import type { Prisma } from "../generated/prisma/client.ts";

// Which records a caller may list, as a SQL condition: the rows the read policy's relations would let
// them reach. Listing shows metadata only; opening content still goes through openRecord.

/** Records covered by an active grant held by any of `grantees`, as conditions any of which may match. */
export async function recordsGrantedTo(
  ctx: AppContext,
  grantees: string[],
): Promise<Prisma.EmrRecordWhereInput[]> {
  const grants = await ctx.prisma.consentGrant.findMany({
    where: { grantee: { in: grantees }, ...statusWhere("active") },
    select: { patient: true, scope: true, scopeKind: true },
  });
  const records = grants.filter((g) => g.scopeKind === 1).map((g) => g.scope);
  const categories = grants
    .filter((g) => g.scopeKind === 2)
    .map((g) => ({ patient: g.patient, category: g.scope }));
  return [...(records.length ? [{ recordId: { in: records } }] : []), ...categories];
}

/** Records with a version signed by this doctor (the first write or a correction). */
async function signedBy(ctx: AppContext, doctor: string): Promise<Prisma.EmrRecordWhereInput> {
  const rows = await ctx.prisma.emrRecordVersion.findMany({
    where: { doctor },
    select: { recordId: true },
    distinct: ["recordId"],
  });
  return { OR: [{ doctor }, { recordId: { in: rows.map((r) => r.recordId) } }] };
}

/** The caller's listable records (the policy decided beforehand that their roles may list at all). */
export async function recordScope(ctx: AppContext, s: Session): Promise<Prisma.EmrRecordWhereInput> {
  if (hasRole(s, "alliance-admin") || hasRole(s, "regulator")) return {};
  const any: Prisma.EmrRecordWhereInput[] = [];
  if (hasRole(s, "patient") || hasRole(s, "applicant")) {
    const patients = await patientsActingFor(ctx, s);
    if (patients.length) any.push({ patient: { in: patients } });
  }
  // For a doctor the grants held by them or their hospital; for a hospital its own.
  if (hasRole(s, "doctor"))
    any.push(await signedBy(ctx, s.address), ...(await recordsGrantedTo(ctx, granteesOf(s))));
  if (hasRole(s, "hospital"))
    any.push({ hospital: s.address }, ...(await recordsGrantedTo(ctx, granteesOf(s))));
  return matchingAny(any);
}

/** Records matching any of the conditions; none at all means no record (an empty OR would match every row). */
export function matchingAny(conditions: Prisma.EmrRecordWhereInput[]): Prisma.EmrRecordWhereInput {
  return conditions.length ? { OR: conditions } : { recordId: { in: [] } };
}
