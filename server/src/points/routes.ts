import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { mirroredGrantLevel, patientFacts } from "../access/facts.ts";
import { operatorOf, relay } from "../chain/signed.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { Address, Bytes32, listQuery, pageOf, paginateTable } from "../http/schemas.ts";
import { recordToActOn } from "../emr/records.ts";
import { ROLE_CODES } from "../members/codes.ts";
import {
  PatientPointsSchema,
  patientPointsView,
  RatingSchema,
  RecordPointsSchema,
  recordPointsViews,
} from "./views.ts";

// Contribution points (积分激励): hospitals holding a grant on a record rate its value and rarity; a
// settlement recomputes the record's points from its share and latest rating and moves the patient's
// total; the patient (or guardian) reads total, tier, perks and the points of each record.

const PatientParam = z.object({ address: Address });
const RecordParam = z.object({ recordId: Bytes32 });
const Level = z.number().int().min(1, "must be 1, 2 or 3").max(3, "must be 1, 2 or 3");

/** Checks that the caller may read the patient's points (the patient, their guardian, admins and
 *  regulators) and that `address` is a patient; answers the audit resource. */
async function authorizePointsRead(
  ctx: AppContext,
  session: Session | null,
  address: string,
  requestId: string,
): Promise<string> {
  const resource = `points:${address}`;
  const facts = await patientFacts(ctx, session, address);
  await ctx.audit.authorize(session, "points.read", resource, facts, requestId);
  const m = await ctx.prisma.member.findUnique({ where: { address }, select: { role: true } });
  if (!m || m.role !== ROLE_CODES.patient) throw notFound("patient");
  return resource;
}

export function registerPointsRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/points/patients/:address",
    summary: "A patient's points, tier and perks",
    description:
      "For the patient, their guardian, alliance admins and regulators. Points are kept in tenths on chain.",
    tags: ["points"],
    auth: true,
    params: PatientParam,
    response: PatientPointsSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const resource = await authorizePointsRead(ctx, session, params.address, requestId);
      const view = await patientPointsView(ctx, params.address);
      await audit.allowed(session, "points.read", resource, requestId);
      return view;
    },
  });

  api.route({
    method: "get",
    path: "/points/patients/:address/records",
    summary: "The points of each of a patient's settled records",
    tags: ["points"],
    auth: true,
    params: PatientParam,
    query: listQuery(["settledAt", "points"], "settledAt:desc"),
    response: pageOf(RecordPointsSchema),
    errors: [403, 404],
    handler: async ({ params, query, session, requestId }) => {
      const resource = await authorizePointsRead(ctx, session, params.address, requestId);
      const [field, dir] = query.sort.split(":") as ["settledAt" | "points", "asc" | "desc"];
      const orderBy = [
        field === "points" ? { pointsTenths: dir } : { settledAt: dir },
        { recordId: "asc" as const },
      ];
      const where = { patient: params.address };
      const page = await paginateTable(query, prisma.recordPoints, where, orderBy, (rows) =>
        recordPointsViews(ctx, rows),
      );
      await audit.allowed(session, "points.read", resource, requestId, "records");
      return page;
    },
  });

  api.route({
    method: "post",
    path: "/points/records/:recordId/rating",
    summary: "Rate a shared record's value and rarity (a hospital holding an active grant on it)",
    description:
      "Sent by the hospital's operator account (ContributionPoints.rate); replaces the record's earlier rating. " +
      "The points change when the record is settled. Value levels score 5 / 20 / 30, rarity levels 5 / 15 / 25.",
    tags: ["points"],
    auth: true,
    status: 201,
    params: RecordParam,
    body: z.object({ valueLevel: Level, rarityLevel: Level }),
    response: RatingSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "points.rate",
        async (r) => ({ grantLevel: await mirroredGrantLevel(ctx, session!, r) }),
        requestId,
      );
      if (record.deleted) throw new ApiError(409, "RECORD_DELETED", "the record was deleted");
      const operator = await operatorOf(ctx, session!.address);
      const receipt = await relay(
        ctx,
        "ContributionPoints",
        "rate",
        [record.recordId, body.valueLevel, body.rarityLevel],
        operator,
      );
      await audit.allowed(
        session,
        "points.rate",
        `record:${record.recordId}`,
        requestId,
        `value ${body.valueLevel}, rarity ${body.rarityLevel}`,
      );
      const rating = await prisma.recordRating.findUniqueOrThrow({
        where: { recordId_hospital: { recordId: record.recordId, hospital: session!.address } },
      });
      return {
        recordId: rating.recordId,
        hospital: rating.hospital,
        valueLevel: rating.valueLevel,
        rarityLevel: rating.rarityLevel,
        ratedAt: Number(rating.ratedAt),
        txHash: receipt.transactionHash,
      };
    },
  });

  api.route({
    method: "post",
    path: "/points/records/:recordId/settlement",
    summary: "Settle a record's points (the patient, a hospital holding a grant on it, or an alliance admin)",
    description:
      "Relays ContributionPoints.settle: the record's points become 3·share + 4·VALUE + 3·RARITY tenths (0 when not shared) " +
      "and the patient's total moves by the difference. May be repeated at any time.",
    tags: ["points"],
    auth: true,
    params: RecordParam,
    body: z.object({}).strict(),
    response: RecordPointsSchema,
    errors: [403, 404, 422, 502],
    handler: async ({ params, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "points.settle",
        async (r) => ({ owner: r.patient, grantLevel: await mirroredGrantLevel(ctx, session!, r) }),
        requestId,
      );
      await relay(ctx, "ContributionPoints", "settle", [record.recordId]);
      await audit.allowed(session, "points.settle", `record:${record.recordId}`, requestId);
      const settled = await prisma.recordPoints.findUniqueOrThrow({ where: { recordId: record.recordId } });
      return (await recordPointsViews(ctx, [settled]))[0]!;
    },
  });
}
