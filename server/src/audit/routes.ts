import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { AccessRequest, AuditEntry, Prisma } from "../generated/prisma/client.ts";
import {
  Address,
  BooleanQuery,
  Bytes32,
  listQuery,
  Millis,
  orderThen,
  pageOf,
  paginateTable,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { PARTY_KINDS, partiesOf } from "../regulators/views.ts";
import { REASON_NAMES, requestFields } from "./access-request-fields.ts";
import { OUTCOMES, type Outcome } from "./audit-log.ts";
import { entryFields } from "./entry-fields.ts";

// Oversight queries for alliance admins and regulators: the off-chain audit log (who did what, and
// whether it was allowed) and the on-chain record of access requests (every read of a record's
// content by someone other than its patient or author). Each query is itself audited.

const REASON_CODES = Object.fromEntries(
  Object.entries(REASON_NAMES).map(([code, name]) => [name, Number(code)]),
);
const reasonNames = Object.values(REASON_NAMES) as [string, ...string[]];

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: Millis,
    actor: z.string().nullable(),
    actorName: z.string().nullable(),
    actorKind: z
      .enum(PARTY_KINDS)
      .nullable()
      .meta({ description: "Who the actor is now: a member's role, a regulator, or other" }),
    roles: z.array(z.string()).meta({ description: "The actor's roles when the entry was written" }),
    action: z.string(),
    resource: z.string(),
    outcome: z.enum(OUTCOMES),
    detail: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });

const ChainAccessSchema = z
  .object({
    recordId: z.string(),
    requester: z.string(),
    requesterName: z.string().nullable(),
    requesterKind: z.enum(PARTY_KINDS),
    patient: z.string(),
    patientName: z.string().nullable(),
    granted: z.boolean(),
    reason: z.number().meta({
      description: "1 record grant, 2 category grant, 10 no grant, 11 expired, 12 blacklisted, 13 deleted",
    }),
    reasonName: z.string(),
    level: z.number().meta({ description: "Granted level (0 when denied)" }),
    purposeHash: z.string(),
    txHash: z.string(),
    blockNumber: z.number(),
    at: Millis,
  })
  .meta({ id: "ChainAccessRequest" });

/** A prefix when the value ends in ":" or "*" (e.g. `record:`), the exact resource otherwise. */
function resourceWhere(resource: string | undefined): Prisma.StringFilter | string | undefined {
  if (resource === undefined) return undefined;
  if (resource.endsWith("*")) return { startsWith: resource.slice(0, -1) };
  if (resource.endsWith(":")) return { startsWith: resource };
  return resource;
}

/** The filters a query used, for the audit entry it leaves. */
const filtersOf = (q: object) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(q)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ),
  );

async function entryViews(ctx: AppContext, rows: AuditEntry[]) {
  const parties = await partiesOf(
    ctx,
    rows.map((r) => r.actor),
  );
  return rows.map((r) => {
    const party = r.actor ? parties.get(r.actor) : undefined;
    return { ...entryFields(r), actorName: party?.name ?? null, actorKind: party?.kind ?? null };
  });
}

async function chainAccessViews(ctx: AppContext, rows: AccessRequest[]) {
  const parties = await partiesOf(
    ctx,
    rows.flatMap((r) => [r.requester, r.patient]),
  );
  return rows.map((r) => ({
    ...requestFields(r),
    requesterName: parties.get(r.requester)?.name ?? null,
    requesterKind: parties.get(r.requester)?.kind ?? "other",
    patientName: parties.get(r.patient)?.name ?? null,
  }));
}

export function registerAuditRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/audit/entries",
    summary: "The audit log (alliance admin, regulator)",
    description:
      "Every read of medical data and every change, allowed or not. `resource` matches exactly, or as a prefix when it ends " +
      "in `:` or `*` (e.g. `record:` for all records). This query is itself audited.",
    tags: ["audit"],
    auth: true,
    query: listQuery(["at"], "at:desc")
      .extend({
        actor: Address.optional(),
        action: z.string().trim().min(1).max(64).optional(),
        outcome: z.enum(OUTCOMES).optional(),
        resource: z.string().trim().min(1).max(200).optional(),
      })
      .extend(TimeRange.shape),
    response: pageOf(AuditEntrySchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "audit.read", "audit:entries", {}, requestId);
      const where: Prisma.AuditEntryWhereInput = {
        actor: query.actor,
        action: query.action,
        outcome: query.outcome,
        resource: resourceWhere(query.resource),
        at: timeWhere(query),
      };
      const orderBy = orderThen(query.sort, "id");
      const page = await paginateTable(query, prisma.auditEntry, where, orderBy, (rows) =>
        entryViews(ctx, rows),
      );
      await audit.allowed(session, "audit.read", "audit:entries", requestId, filtersOf(query));
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/audit/chain-access",
    summary: "Access requests recorded on chain (alliance admin, regulator)",
    description:
      "The mirror of ConsentManager's AccessRequested events: every request to open a record's content by a hospital, " +
      "a doctor or a regulator, granted or denied, with the reason. This query is itself audited.",
    tags: ["audit"],
    auth: true,
    query: listQuery(["at"], "at:desc")
      .extend({
        recordId: Bytes32.optional(),
        requester: Address.optional(),
        patient: Address.optional(),
        granted: BooleanQuery.optional(),
        reason: z.enum(reasonNames).optional(),
      })
      .extend(TimeRange.shape),
    response: pageOf(ChainAccessSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "audit.read", "audit:chain-access", {}, requestId);
      const where: Prisma.AccessRequestWhereInput = {
        recordId: query.recordId,
        requester: query.requester,
        patient: query.patient,
        granted: query.granted,
        reason: query.reason === undefined ? undefined : REASON_CODES[query.reason],
        at: timeWhere(query),
      };
      const orderBy = orderThen(query.sort, "id");
      const page = await paginateTable(query, prisma.accessRequest, where, orderBy, (rows) =>
        chainAccessViews(ctx, rows),
      );
      await audit.allowed(session, "audit.read", "audit:chain-access", requestId, filtersOf(query));
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/audit/summary",
    summary: "Audit counts per action and outcome over a time range (alliance admin, regulator)",
    description:
      "One row per (action, outcome) that occurred in the range; the number of actions is fixed, so it is not paginated.",
    tags: ["audit"],
    auth: true,
    query: TimeRange.extend({ actor: Address.optional() }),
    response: z.object({
      from: Millis.nullable(),
      to: Millis.nullable(),
      total: z.number(),
      outcomes: z.object({ allowed: z.number(), denied: z.number(), failed: z.number() }),
      items: z.array(z.object({ action: z.string(), outcome: z.enum(OUTCOMES), count: z.number() })),
    }),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "audit.read", "audit:summary", {}, requestId);
      const groups = await prisma.auditEntry.groupBy({
        by: ["action", "outcome"],
        where: { actor: query.actor, at: timeWhere(query) },
        _count: { _all: true },
        orderBy: [{ action: "asc" }, { outcome: "asc" }],
      });
      const items = groups.map((g) => ({
        action: g.action,
        outcome: g.outcome as Outcome,
        count: g._count._all,
      }));
      const outcomes = { allowed: 0, denied: 0, failed: 0 };
      for (const i of items) if (i.outcome in outcomes) outcomes[i.outcome] += i.count;
      await audit.allowed(session, "audit.read", "audit:summary", requestId, filtersOf(query));
      return {
        from: query.from ?? null,
        to: query.to ?? null,
        total: items.reduce((n, i) => n + i.count, 0),
        outcomes,
        items,
      };
    },
  });
}
