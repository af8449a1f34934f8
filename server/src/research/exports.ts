import type { Session } from "../auth/session.ts";
import { mirroredGrantLevel } from "../access/facts.ts";
import type { AppContext } from "../context.ts";
import type { ResearchExport } from "../generated/prisma/client.ts";
import { badRequest, forbidden, notFound, type ErrorDetail } from "../http/errors.ts";
import { identifiersLeft } from "./export-check.ts";

// De-identified research exports. The exporting member's client opens records it holds an active
// level-2 (research) grant for, de-identifies them with the sdk under a fresh salt and uploads the
// result; the server checks membership, the grant of every record and that no identifier is left, and
// stores the bundles with the salt's hash (never the salt).

export const LEVEL_RESEARCH = 2;

export interface ExportInput {
  saltHash: string;
  records: { recordId: string; version: number; bundle: Record<string, unknown>; report: unknown }[];
}

/** The hospital the caller exports for: itself, or a doctor's hospital. */
export function hospitalOf(session: Session | null): string | null {
  if (!session) return null;
  if (session.roles.includes("hospital")) return session.address;
  if (session.roles.includes("doctor")) return session.member?.hospital ?? null;
  return null;
}

/** The caller's hospital when it is a member of the project, else null (the policy then refuses). */
export async function memberHospital(ctx: AppContext, session: Session | null, projectId: string): Promise<string | null> {
  const hospital = hospitalOf(session);
  if (!hospital) return null;
  const members = await ctx.prisma.researchAllocationRow.findMany({ where: { projectId }, select: { hospital: true } });
  return members.some((m) => m.hospital.toLowerCase() === hospital.toLowerCase()) ? hospital : null;
}

/**
 * Every record must exist at that version and be covered, for the caller or their hospital, by an
 * active level-2 grant (record or category scope, as consent_grants mirrors them). A record without
 * one is refused with 403 naming it, and the refusal is recorded.
 */
async function checkGrants(ctx: AppContext, session: Session, input: ExportInput, requestId: string): Promise<void> {
  for (const { recordId, version } of input.records) {
    const record = await ctx.prisma.emrRecord.findUnique({ where: { recordId } });
    const stored = record && (await ctx.prisma.emrRecordVersion.findUnique({ where: { recordId_version: { recordId, version } } }));
    if (!record || !stored) throw notFound(`record ${recordId} version ${version}`);
    if ((await mirroredGrantLevel(ctx, session, record)) < LEVEL_RESEARCH) {
      await ctx.audit.record({ session, action: "research.export", resource: `record:${recordId}`, outcome: "denied", requestId, detail: "no active level-2 grant" });
      throw forbidden(`no active level-2 (research) grant covers record ${recordId} for you or your hospital`);
    }
  }
}

function checkDeidentified(input: ExportInput): void {
  const details: ErrorDetail[] = input.records.flatMap((r, i) => identifiersLeft(r.bundle, `records.${i}.bundle`));
  if (details.length) throw badRequest(`identifiers left in ${[...new Set(details.map((d) => d.path))].join(", ")}`, details);
}

export async function createExport(
  ctx: AppContext,
  session: Session,
  projectId: string,
  hospital: string,
  input: ExportInput,
  requestId: string,
): Promise<ResearchExport> {
  await checkGrants(ctx, session, input, requestId);
  checkDeidentified(input);
  return ctx.prisma.$transaction(async (tx) => {
    const created = await tx.researchExport.create({
      data: { projectId, exporter: session.address, hospital, saltHash: input.saltHash, createdAt: BigInt(Date.now()) },
    });
    await tx.researchExportRecord.createMany({
      data: input.records.map((r) => ({
        exportId: created.id,
        recordId: r.recordId,
        version: r.version,
        bundle: JSON.stringify(r.bundle),
        report: JSON.stringify(r.report),
      })),
    });
    return created;
  });
}

export async function findExport(ctx: AppContext, projectId: string, id: number): Promise<ResearchExport> {
  const found = await ctx.prisma.researchExport.findFirst({ where: { id, projectId } });
  if (!found) throw notFound(`export ${id}`);
  return found;
}
