import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import type { Action, ResourceFacts } from "../access/policy.ts";
import type { EmrRecord } from "../generated/prisma/client.ts";
import { notFound } from "../http/errors.ts";

// A record as the mirror has it, for the routes that act on one (reading its content goes through
// access/record-access.ts instead, which may ask the chain).

export async function findRecord(ctx: AppContext, recordId: string): Promise<EmrRecord> {
  const record = await ctx.prisma.emrRecord.findUnique({ where: { recordId } });
  if (!record) throw notFound("record");
  return record;
}

/**
 * The record, once the policy lets the caller do `action` to it given what `factsOf` says of the
 * record. An unknown record is a 404 for everyone; a refusal is audited on `record:<id>` (403).
 */
export async function recordToActOn(
  ctx: AppContext,
  session: Session | null,
  recordId: string,
  action: Action,
  factsOf: (record: EmrRecord) => ResourceFacts | Promise<ResourceFacts>,
  requestId: string,
): Promise<EmrRecord> {
  const record = await findRecord(ctx, recordId);
  await ctx.audit.authorize(session, action, `record:${record.recordId}`, await factsOf(record), requestId);
  return record;
}

/** The record, once the caller may correct it: its attending doctor or a doctor of its hospital. */
export function recordToCorrect(
  ctx: AppContext,
  session: Session | null,
  recordId: string,
  requestId: string,
): Promise<EmrRecord> {
  return recordToActOn(
    ctx,
    session,
    recordId,
    "emr.record.update",
    (r) => ({ doctor: r.doctor, hospital: r.hospital }),
    requestId,
  );
}
