import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { patientFacts } from "../access/facts.ts";
import type { AccessRequest, AuditEntry, Prisma } from "../generated/prisma/client.ts";
import {
  Address,
  BooleanQuery,
  Bytes32,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { namesOf } from "../members/views.ts";
import { requestFields } from "../audit/access-request-fields.ts";
import { OUTCOMES } from "../audit/audit-log.ts";
import { entryFields } from "../audit/entry-fields.ts";

// What a patient is owed: who opened their records, and who asked to. The access log comes from the
// audit log (every read, refusal and break-glass on a record); access requests from the chain, where
// each request by another hospital, its doctors or a regulator was decided and recorded.

const AccessLogEntrySchema = z
  .object({
    id: z.string(),
    at: z.number(),
    actor: z.string().nullable(),
    actorName: z.string().nullable(),
    actorRoles: z.array(z.string()),
    action: z.string(),
    outcome: z.enum(OUTCOMES),
    recordId: z.string(),
    detail: z.string().nullable(),
    txHash: z
      .string()
      .nullable()
      .meta({ description: "The chain transaction that decided the read, when it was decided on chain" }),
  })
  .meta({ id: "AccessLogEntry" });

const AccessRequestSchema = z
  .object({
    id: z.string(),
    recordId: z.string(),
    requester: z.string(),
    requesterName: z.string().nullable(),
    patient: z.string(),
    granted: z.boolean(),
    reason: z.number(),
    reasonName: z
      .string()
      .meta({ description: "record-grant, category-grant, no-grant, expired, blacklisted, deleted" }),
    level: z.number(),
    purposeHash: z.string(),
    at: z.number(),
    txHash: z.string(),
    blockNumber: z.number(),
  })
  .meta({ id: "AccessRequest" });

/** Whose log the caller asks for: the `patient` given, else their own as a patient (none for others). */
async function authorizeLog(
  ctx: AppContext,
  session: Session | null,
  patient: string | undefined,
  requestId: string,
): Promise<string | undefined> {
  const target = patient ?? (hasRole(session, "patient") ? session!.address : undefined);
  const resource = target ? `patient:${target}` : "access-log";
  const facts = await patientFacts(ctx, session, target);
  await ctx.audit.authorize(session, "consent.access-log", resource, facts, requestId);
  return target;
}

async function logViews(
  ctx: AppContext,
  rows: AuditEntry[],
): Promise<z.infer<typeof AccessLogEntrySchema>[]> {
  const names = await namesOf(
    ctx,
    rows.map((r) => r.actor),
  );
  return rows.map((r) => {
    const { id, at, actor, roles, action, outcome, resource, detail } = entryFields(r);
    return {
      id,
      at,
      actor,
      actorName: actor ? (names.get(actor) ?? null) : null,
      actorRoles: roles,
      action,
      outcome,
      recordId: resource.slice("record:".length),
      detail,
      txHash: detail?.match(/tx (0x[0-9a-fA-F]{64})/)?.[1] ?? null,
    };
  });
}

async function requestViews(
  ctx: AppContext,
  rows: AccessRequest[],
): Promise<z.infer<typeof AccessRequestSchema>[]> {
  const names = await namesOf(
    ctx,
    rows.map((r) => r.requester),
  );
  return rows.map((r) => ({
    id: r.id.toString(),
    ...requestFields(r),
    requesterName: names.get(r.requester) ?? null,
  }));
}

export function registerAccessLogRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/consent/access-log",
    summary: "Who opened (or tried to open) a patient's records",
    description:
      "From the audit log: every read, refused read and break-glass on the patient's records, with who did it. A patient " +
      "sees their own (or, as guardian, pass `patient`); alliance admins and regulators any, optionally by `patient`.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["at"], "at:desc")
      .extend({
        patient: Address.optional(),
        recordId: Bytes32.optional(),
        outcome: z.enum(OUTCOMES).optional(),
        actor: Address.optional(),
      })
      .extend(TimeRange.shape),
    response: pageOf(AccessLogEntrySchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      const target = await authorizeLog(ctx, session, query.patient, requestId);
      let resource: Prisma.StringFilter | string;
      if (target) {
        const records = await prisma.emrRecord.findMany({
          where: { patient: target, recordId: query.recordId },
          select: { recordId: true },
        });
        resource = { in: records.map((r) => `record:${r.recordId}`) };
      } else {
        resource = query.recordId ? `record:${query.recordId}` : { startsWith: "record:" };
      }
      const where: Prisma.AuditEntryWhereInput = {
        resource,
        outcome: query.outcome,
        actor: query.actor,
        at: timeWhere(query),
      };
      const orderBy = orderThen(query.sort, "id");
      const page = await paginateTable(query, prisma.auditEntry, where, orderBy, (rows) =>
        logViews(ctx, rows),
      );
      await audit.allowed(
        session,
        "consent.access-log",
        target ? `patient:${target}` : "access-log",
        requestId,
      );
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/consent/access-requests",
    summary: "Requests to open a patient's records, as decided on chain",
    description:
      "From ConsentManager's AccessRequested events: who asked, whether it was granted, why (reason code and name) and the " +
      "transaction. Same audience as the access log.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["at"], "at:desc")
      .extend({
        patient: Address.optional(),
        recordId: Bytes32.optional(),
        requester: Address.optional(),
        granted: BooleanQuery.optional(),
      })
      .extend(TimeRange.shape),
    response: pageOf(AccessRequestSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      const target = await authorizeLog(ctx, session, query.patient, requestId);
      const where: Prisma.AccessRequestWhereInput = {
        patient: target,
        recordId: query.recordId,
        requester: query.requester,
        granted: query.granted,
        at: timeWhere(query),
      };
      const orderBy = orderThen(query.sort, "id");
      const page = await paginateTable(query, prisma.accessRequest, where, orderBy, (rows) =>
        requestViews(ctx, rows),
      );
      await audit.allowed(
        session,
        "consent.access-log",
        target ? `patient:${target}:requests` : "access-requests",
        requestId,
      );
      return page;
    },
  });
}
