import { Prisma } from "../generated/prisma/client.ts";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { BooleanQuery, listQuery, Millis, pageOf } from "../http/schemas.ts";
import { namesOf } from "../members/views.ts";
import { reasonNameOf } from "../audit/access-request-fields.ts";
import { REASON_NAMES as EMERGENCY_REASONS } from "./accesses.ts";

// What a patient should be told, derived from the mirror each time: a doctor broke the glass on one of
// their records, someone was refused access to one, or one of their grants expires within a week.
// notification_marks remembers up to when the caller has seen them.

const EXPIRY_NOTICE_MS = 7 * 24 * 3600_000;
const KINDS = ["break-glass", "access-denied", "grant-expiring"] as const;
type Kind = (typeof KINDS)[number];

const NotificationSchema = z
  .object({
    id: z.string().meta({ description: "<kind>:<accessId | request id | grantId>" }),
    kind: z.enum(KINDS),
    at: z
      .number()
      .meta({ description: "When it happened; for an expiring grant, when it entered its last week" }),
    seen: z.boolean(),
    message: z.string(),
    actor: z.string().meta({ description: "The doctor, the refused requester, or the grantee" }),
    actorName: z.string().nullable(),
    recordId: z.string().nullable(),
    accessId: z.number().nullable(),
    grantId: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "Break-glass reason or refusal reason" }),
    expiresAt: z.number().nullable(),
  })
  .meta({ id: "Notification" });

interface Row {
  kind: Kind;
  at: bigint | number;
  ref: string;
  record_id: string | null;
  actor: string;
  code: number | bigint;
  expires_at: bigint | number | null;
}

/** All of a patient's notifications as one derived table (kind, at, ref, record_id, actor, code, expires_at). */
function notificationsOf(patient: string, now: number): Prisma.Sql {
  return Prisma.sql`
    SELECT 'break-glass' AS kind, accessed_at AS at, CAST(access_id AS CHAR) AS ref, record_id, doctor AS actor,
           reason_code AS code, NULL AS expires_at
      FROM emergency_accesses WHERE patient = ${patient}
    UNION ALL
    SELECT 'access-denied', at, CAST(id AS CHAR), record_id, requester, reason, NULL
      FROM access_requests WHERE patient = ${patient} AND granted = 0
    UNION ALL
    SELECT 'grant-expiring', GREATEST(granted_at, expires_at - ${EXPIRY_NOTICE_MS}), grant_id,
           CASE WHEN scope_kind = 1 THEN scope ELSE NULL END, grantee, level, expires_at
      FROM consent_grants
     WHERE patient = ${patient} AND revoked = 0 AND expires_at > ${now} AND expires_at <= ${now + EXPIRY_NOTICE_MS}`;
}

function messageOf(kind: Kind, who: string, reason: string | null, expiresAt: number | null): string {
  if (kind === "break-glass") return `${who} opened your record under emergency access (${reason})`;
  if (kind === "access-denied") return `${who} was refused access to your record (${reason})`;
  return `Your grant to ${who} expires at ${new Date(expiresAt!).toISOString()}`;
}

async function seenUntilOf(ctx: AppContext, recipient: string): Promise<number> {
  const mark = await ctx.prisma.notificationMark.findUnique({ where: { recipient } });
  return mark ? Number(mark.seenUntil) : 0;
}

async function unseenCount(ctx: AppContext, recipient: string, seenUntil: number): Promise<number> {
  const [row] = await ctx.prisma.$queryRaw<{ n: bigint | number }[]>`
    SELECT COUNT(*) AS n FROM (${notificationsOf(recipient, Date.now())}) x WHERE x.at > ${seenUntil}`;
  return Number(row?.n ?? 0);
}

export function registerNotificationRoutes(ctx: AppContext): void {
  const { api, prisma } = ctx;

  api.route({
    method: "get",
    path: "/me/notifications",
    summary: "My notifications as a patient",
    description:
      "Break-glass accesses to my records, refused requests to open them, and my grants that expire within 7 days; " +
      "`unseen` counts those after the mark set by POST /me/notifications/seen.",
    tags: ["notifications"],
    auth: true,
    query: listQuery(["at"], "at:desc").extend({
      kind: z.enum(KINDS).optional(),
      unseen: BooleanQuery.optional(),
    }),
    response: pageOf(NotificationSchema).extend({ unseen: z.number(), seenUntil: z.number() }),
    handler: async ({ query, session }) => {
      const me = session!.address;
      const seenUntil = await seenUntilOf(ctx, me);
      const all = notificationsOf(me, Date.now());
      const kind = query.kind ? Prisma.sql`AND x.kind = ${query.kind}` : Prisma.empty;
      const unseen =
        query.unseen === undefined
          ? Prisma.empty
          : query.unseen
            ? Prisma.sql`AND x.at > ${seenUntil}`
            : Prisma.sql`AND x.at <= ${seenUntil}`;
      const direction = query.sort === "at:asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
      const [rows, [count], unseenTotal] = await Promise.all([
        prisma.$queryRaw<Row[]>`
          SELECT * FROM (${all}) x WHERE 1 = 1 ${kind} ${unseen}
          ORDER BY x.at ${direction}, x.kind, x.ref LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
        prisma.$queryRaw<
          { n: bigint | number }[]
        >`SELECT COUNT(*) AS n FROM (${all}) x WHERE 1 = 1 ${kind} ${unseen}`,
        unseenCount(ctx, me, seenUntil),
      ]);
      const names = await namesOf(
        ctx,
        rows.map((r) => r.actor),
      );
      const items = rows.map((r) => {
        const at = Number(r.at);
        const code = Number(r.code);
        const expiresAt = r.expires_at !== null ? Number(r.expires_at) : null;
        const reason =
          r.kind === "break-glass"
            ? (EMERGENCY_REASONS[code as 1 | 2 | 3] ?? "other")
            : r.kind === "access-denied"
              ? reasonNameOf(code)
              : null;
        const actorName = names.get(r.actor) ?? null;
        return {
          id: `${r.kind}:${r.ref}`,
          kind: r.kind,
          at,
          seen: at <= seenUntil,
          message: messageOf(r.kind, actorName ?? r.actor, reason, expiresAt),
          actor: r.actor,
          actorName,
          recordId: r.record_id,
          accessId: r.kind === "break-glass" ? Number(r.ref) : null,
          grantId: r.kind === "grant-expiring" ? r.ref : null,
          reason,
          expiresAt,
        };
      });
      return {
        items,
        page: query.page,
        pageSize: query.pageSize,
        total: Number(count?.n ?? 0),
        unseen: unseenTotal,
        seenUntil,
      };
    },
  });

  api.route({
    method: "post",
    path: "/me/notifications/seen",
    summary: "Mark my notifications seen up to a time",
    description: "The mark only moves forward, and not past now.",
    tags: ["notifications"],
    auth: true,
    body: z.object({ until: Millis }),
    response: z.object({ seenUntil: z.number(), unseen: z.number() }),
    handler: async ({ body, session }) => {
      const me = session!.address;
      const until = BigInt(Math.min(body.until, Date.now()));
      const current = await seenUntilOf(ctx, me);
      const seenUntil = until > BigInt(current) ? until : BigInt(current);
      await prisma.notificationMark.upsert({
        where: { recipient: me },
        create: { recipient: me, seenUntil },
        update: { seenUntil },
      });
      return { seenUntil: Number(seenUntil), unseen: await unseenCount(ctx, me, Number(seenUntil)) };
    },
  });
}
