import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { mirroredGrantLevel } from "../access/facts.ts";
import type { EmrRecord, RecordRating } from "../generated/prisma/client.ts";
import { Bytes32, listQuery, orderThen, pageOf, pageSummary, paginateTable } from "../http/schemas.ts";
import { recordToActOn } from "../emr/records.ts";
import { matchingAny, recordsGrantedTo } from "../emr/record-scope.ts";
import { recordViews } from "../emr/views.ts";
import { valueHintOf } from "./value-hint.ts";
import { RatableRecordSchema, ValueHintSchema } from "./value-hint-schemas.ts";

// The entropy hint a rating hospital sees beside its own judgment of a record's value, and the list
// of records a hospital may rate with its current ratings (the portal's 数据评级 page).

const RecordParam = z.object({ recordId: Bytes32 });

const ratingView = (r: RecordRating | null | undefined) =>
  r ? { valueLevel: r.valueLevel, rarityLevel: r.rarityLevel, ratedAt: Number(r.ratedAt) } : null;

async function myRatingOf(ctx: AppContext, session: Session, recordId: string) {
  if (!session.roles.includes("hospital")) return null;
  return ratingView(
    await ctx.prisma.recordRating.findUnique({
      where: { recordId_hospital: { recordId, hospital: session.address } },
    }),
  );
}

async function ratableViews(ctx: AppContext, hospital: string, rows: EmrRecord[]) {
  const ids = rows.map((r) => r.recordId);
  const [views, ratings, settled] = await Promise.all([
    recordViews(ctx, rows),
    ctx.prisma.recordRating.findMany({ where: { hospital, recordId: { in: ids } } }),
    ctx.prisma.recordPoints.findMany({ where: { recordId: { in: ids } } }),
  ]);
  const ratingOf = new Map(ratings.map((r) => [r.recordId, r]));
  const settledOf = new Map(settled.map((s) => [s.recordId, s]));
  return views.map((record) => {
    const s = settledOf.get(record.recordId);
    return {
      record,
      myRating: ratingView(ratingOf.get(record.recordId)),
      settled: s
        ? {
            valueLevel: s.valueLevel,
            rarityLevel: s.rarityLevel,
            pointsTenths: Number(s.pointsTenths),
            settledAt: Number(s.settledAt),
          }
        : null,
    };
  });
}

export function registerValueHintRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/points/records/:recordId/value-hint",
    summary:
      "The entropy hint for rating a record's value (a hospital holding a grant on it, admins, regulators)",
    description:
      "H = −Σ pᵢ log₂ pᵢ over the institutions whose reads of the record the chain granted (a doctor counts as their " +
      "hospital, the writing hospital included; the attending doctor's own reads, patients, guardians, regulators and break-glass reads are left out). " +
      "Suggested value level: 1 if H < 1 bit, 2 if 1 ≤ H < 2, 3 if H ≥ 2. `window` (days, default 30) cuts the reads " +
      "into windows ending now for the trend. The level the hospital records stays its own.",
    tags: ["points"],
    auth: true,
    params: RecordParam,
    query: z.object({
      window: z.coerce
        .number()
        .int("must be a whole number of days")
        .min(1, "must be 1 to 365 days")
        .max(365, "must be 1 to 365 days")
        .default(30),
    }),
    response: ValueHintSchema,
    errors: [403, 404],
    handler: async ({ params, query, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "points.value-hint",
        async (r) => ({ grantLevel: await mirroredGrantLevel(ctx, session!, r) }),
        requestId,
      );
      const [hint, myRating] = await Promise.all([
        valueHintOf(ctx, record, query.window),
        myRatingOf(ctx, session!, record.recordId),
      ]);
      await audit.allowed(
        session,
        "points.value-hint",
        `record:${record.recordId}`,
        requestId,
        `${hint.entropyBits} bits, level ${hint.suggestedLevel}`,
      );
      return { ...hint, myRating };
    },
  });

  api.route({
    method: "get",
    path: "/points/ratable-records",
    summary: "Records the calling hospital may rate (an active grant to it covers them), with its ratings",
    description:
      "For a hospital: the records its active grants cover, each with the hospital's latest rating and the record's last " +
      "settlement. Anyone else is refused.",
    tags: ["points"],
    auth: true,
    query: listQuery(["writtenAt"], "writtenAt:desc"),
    response: pageOf(RatableRecordSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      // Every row listed is covered by a grant to the caller, so the rating relation holds for each;
      // the policy of points.rate thus lets hospitals list and refuses (and audits) everyone else.
      await audit.authorize(session, "points.rate", "ratable-records", { grantLevel: 1 }, requestId);
      const hospital = session!.address;
      const where = matchingAny(await recordsGrantedTo(ctx, [hospital]));
      const page = await paginateTable(
        query,
        prisma.emrRecord,
        where,
        orderThen(query.sort, "recordId", "asc"),
        (rows) => ratableViews(ctx, hospital, rows),
      );
      await audit.allowed(session, "points.rate", "ratable-records", requestId, pageSummary(page));
      return page;
    },
  });
}
