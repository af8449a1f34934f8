import { z } from "zod";
import type { AppContext } from "../context.ts";
import { patientFacts } from "../access/facts.ts";
import type { Session } from "../auth/session.ts";
import type { Member, Prisma, ScoreEvent } from "../generated/prisma/client.ts";
import { findVisit } from "../process/service.ts";
import {
  Address,
  Bytes32,
  listQuery,
  pageOf,
  paginateTable,
  SignedFields,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { adjustScore, findHospital, giveFeedback, initializeScore } from "./score-service.ts";
import {
  RankingItemSchema,
  rankingViews,
  SCORE_EVENT_KINDS,
  ScoreEventSchema,
  scoreEventViews,
  ScoreSchema,
  scoreView,
} from "./views.ts";

// Hospitals' evaluation scores (医院评估): the ranking, each hospital's score and its history, and the
// writes: initialization from the level, admins' signed adjustments, patients' signed feedback.

const AddressParam = z.object({ address: Address });
/** A text whose hash the client signs: kept exactly as sent (no trimming), but not blank. */
const SignedText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, "required");
const ScoreWithEvent = z.object({ score: ScoreSchema, event: ScoreEventSchema });

/** Checks that the caller may do `action` to the hospital's score, then that the hospital exists;
 *  answers the hospital and the audit resource. */
async function authorizeOnScore(
  ctx: AppContext,
  session: Session | null,
  action: "score.read" | "score.initialize" | "score.adjust",
  address: string,
  requestId: string,
): Promise<{ hospital: Member; resource: string }> {
  const resource = `hospital:${address}:score`;
  await ctx.audit.authorize(session, action, resource, {}, requestId);
  return { hospital: await findHospital(ctx, address), resource };
}

/** What a change of a hospital's score answers: the score now, and the event that changed it. */
async function scoreWithEvent(ctx: AppContext, hospital: Member, event: ScoreEvent) {
  return { score: await scoreView(ctx, hospital), event: (await scoreEventViews(ctx, [event]))[0]! };
}

export function registerHospitalRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/hospitals/ranking",
    summary: "Hospitals ranked by evaluation score",
    description:
      "Every hospital whose score is initialized. `rank` is by score whatever the sort (equal scores share a rank).",
    tags: ["hospitals"],
    auth: true,
    query: listQuery(["score", "feedback"], "score:desc"),
    response: pageOf(RankingItemSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "score.read", "hospitals:ranking", {}, requestId);
      const [field, dir] = query.sort.split(":") as ["score" | "feedback", "asc" | "desc"];
      const orderBy: Prisma.HospitalScoreOrderByWithRelationInput[] =
        field === "score"
          ? [{ score: dir }, { hospital: "asc" }]
          : [{ feedbackCount: dir }, { score: "desc" }, { hospital: "asc" }];
      const page = await paginateTable(query, prisma.hospitalScore, {}, orderBy, (rows) =>
        rankingViews(ctx, rows),
      );
      await audit.allowed(session, "score.read", "hospitals:ranking", requestId);
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/hospitals/:address/score",
    summary: "A hospital's current score, level and initial score",
    tags: ["hospitals"],
    auth: true,
    params: AddressParam,
    response: ScoreSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const { hospital, resource } = await authorizeOnScore(
        ctx,
        session,
        "score.read",
        params.address,
        requestId,
      );
      const view = await scoreView(ctx, hospital);
      await audit.allowed(session, "score.read", resource, requestId);
      return view;
    },
  });

  api.route({
    method: "get",
    path: "/hospitals/:address/score/history",
    summary: "A hospital's score history",
    description:
      "The initial score, each admin adjustment (with its evidence) and each patient's feedback (with its comment).",
    tags: ["hospitals"],
    auth: true,
    params: AddressParam,
    query: listQuery(["at"], "at:desc")
      .extend({ kind: z.enum(SCORE_EVENT_KINDS).optional() })
      .extend(TimeRange.shape),
    response: pageOf(ScoreEventSchema),
    errors: [403, 404, 502],
    handler: async ({ params, query, session, requestId }) => {
      const { resource } = await authorizeOnScore(ctx, session, "score.read", params.address, requestId);
      const where: Prisma.ScoreEventWhereInput = {
        hospital: params.address,
        kind: query.kind,
        at: timeWhere(query),
      };
      const dir = query.sort.endsWith("asc") ? "asc" : "desc";
      const orderBy: Prisma.ScoreEventOrderByWithRelationInput[] = [
        { at: dir },
        { blockNumber: dir },
        { logIndex: dir },
      ];
      const page = await paginateTable(query, prisma.scoreEvent, where, orderBy, (rows) =>
        scoreEventViews(ctx, rows),
      );
      await audit.allowed(session, "score.read", resource, requestId, "history");
      return page;
    },
  });

  api.route({
    method: "post",
    path: "/hospitals/:address/score/initialization",
    summary: "Initialize a hospital's score from its level (alliance admin)",
    description:
      "Relays HospitalScore.initialize: 一级 600, 二级 700, 三级 800. 409 `LEVEL_NOT_SET` when the hospital has no level yet, " +
      "409 `SCORE_ALREADY_INITIALIZED` when it was initialized before.",
    tags: ["hospitals"],
    auth: true,
    status: 201,
    params: AddressParam,
    body: z.object({}).strict(),
    response: ScoreSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, session, requestId }) => {
      const { hospital, resource } = await authorizeOnScore(
        ctx,
        session,
        "score.initialize",
        params.address,
        requestId,
      );
      await initializeScore(ctx, hospital);
      await audit.allowed(session, "score.initialize", resource, requestId);
      return scoreView(ctx, hospital);
    },
  });

  api.route({
    method: "post",
    path: "/hospitals/:address/score/adjustments",
    summary: "Adjust a hospital's score (alliance admin)",
    description:
      "The admin signs an EIP-712 `ScoreAdjustment {hospital, reasonCode, delta, evidenceHash, nonce, deadline}` in the HospitalScore " +
      "domain with `evidenceHash = keccak256(evidence)`. Reasons: 1 misdiagnosis (delta < 0), 2 rescue of difficult cases (delta > 0), " +
      "3 pre-visit and 4 post-visit service (either sign); delta ≠ 0, |delta| ≤ 100. The score is clamped to 0–1000.",
    tags: ["hospitals"],
    auth: true,
    status: 201,
    params: AddressParam,
    body: SignedFields.extend({
      reasonCode: z.number().int().min(1, "must be 1–4").max(4, "must be 1–4"),
      delta: z.number().int(),
      evidence: SignedText(5000),
    }),
    response: ScoreWithEvent,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const { hospital, resource } = await authorizeOnScore(
        ctx,
        session,
        "score.adjust",
        params.address,
        requestId,
      );
      const event = await adjustScore(ctx, session!, hospital, body);
      await audit.allowed(
        session,
        "score.adjust",
        resource,
        requestId,
        `reason ${body.reasonCode}, delta ${body.delta}`,
      );
      return scoreWithEvent(ctx, hospital, event);
    },
  });

  api.route({
    method: "post",
    path: "/hospitals/feedback",
    summary: "Rate a finished visit (its patient, or their guardian handing in the patient's signature)",
    description:
      "The visit's patient signs an EIP-712 `Feedback {visitId, rating, commentHash, nonce, deadline}` in the HospitalScore domain, " +
      "`commentHash = keccak256(comment)` or zero without a comment. The hospital's score moves by rating − 3. " +
      "409 `VISIT_NOT_FINISHED`, `FEEDBACK_EXISTS` or `SCORE_NOT_INITIALIZED` when the visit cannot be rated.",
    tags: ["hospitals"],
    auth: true,
    status: 201,
    body: SignedFields.extend({
      visitId: Bytes32,
      rating: z.number().int().min(1, "must be 1–5").max(5, "must be 1–5"),
      comment: SignedText(2000).optional(),
    }),
    response: ScoreWithEvent,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ body, session, requestId }) => {
      const visit = await findVisit(ctx, body.visitId);
      const resource = `visit:${visit.visitId}`;
      await audit.authorize(
        session,
        "score.feedback",
        resource,
        await patientFacts(ctx, session, visit.patient),
        requestId,
      );
      const event = await giveFeedback(ctx, session!, visit, body);
      await audit.allowed(session, "score.feedback", resource, requestId, `rating ${body.rating}`);
      return scoreWithEvent(ctx, await findHospital(ctx, visit.hospital), event);
    },
  });
}
