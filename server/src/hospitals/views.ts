import { SCORE_REASONS, averageRating, initialScore, rankOf } from "@yyl/sdk";
import { ZeroHash } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { HospitalScore, ScoreEvent } from "../generated/prisma/client.ts";
import { textsOf } from "../evidence/texts.ts";
import { LevelNameSchema, levelNameOf } from "../members/levels.ts";
import { namesOf } from "../members/views.ts";
import { txHashesOf } from "./tx-hashes.ts";

// How hospitals' scores read in the API: the current score with its rank, and its history.

export const SCORE_EVENT_KINDS = ["initial", "adjustment", "feedback"] as const;

const ReasonSchema = z
  .object({ code: z.number().int(), key: z.string(), zh: z.string(), en: z.string() })
  .meta({ id: "ScoreReason" });

export const ScoreSchema = z
  .object({
    hospital: z.string(),
    name: z.string().nullable(),
    level: z.number().int().nullable().meta({ description: "The hospital's current level (null: not set)" }),
    levelName: LevelNameSchema.nullable(),
    initialized: z.boolean(),
    score: z.number().int().nullable().meta({ description: "0–1000; null before initialization" }),
    initialLevel: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The level the score was initialized from" }),
    initialScore: z.number().int().nullable().meta({ description: "一级 600, 二级 700, 三级 800" }),
    feedbackCount: z.number().int(),
    averageRating: z.number().nullable().meta({ description: "Mean patient rating (1–5), two decimals" }),
    rank: z
      .number()
      .int()
      .nullable()
      .meta({ description: "1 + the number of hospitals with a higher score" }),
  })
  .meta({ id: "HospitalScore" });
export type ScoreView = z.infer<typeof ScoreSchema>;

export const RankingItemSchema = z
  .object({
    rank: z.number().int(),
    hospital: z.string(),
    name: z.string().nullable(),
    score: z.number().int(),
    level: z.number().int().nullable(),
    levelName: LevelNameSchema.nullable(),
    feedbackCount: z.number().int(),
    averageRating: z.number().nullable(),
  })
  .meta({ id: "HospitalRankingItem" });

export const ScoreEventSchema = z
  .object({
    kind: z.enum(SCORE_EVENT_KINDS),
    reasonCode: z.number().int().nullable(),
    reason: ReasonSchema.nullable(),
    delta: z
      .number()
      .int()
      .meta({ description: "For an adjustment the delta as signed; otherwise the change (after clamping)" }),
    score: z.number().int().meta({ description: "The score after this event" }),
    evidenceHash: z
      .string()
      .nullable()
      .meta({ description: "An adjustment's evidence hash, or a feedback's comment hash" }),
    evidence: z.string().nullable().meta({ description: "The text behind evidenceHash, if known" }),
    actor: z.string().nullable().meta({ description: "The signing admin, or the rating patient" }),
    visitId: z.string().nullable(),
    rating: z.number().int().nullable(),
    at: z.number(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "ScoreEvent" });
export type ScoreEventView = z.infer<typeof ScoreEventSchema>;

const averageOf = (s: Pick<HospitalScore, "feedbackCount" | "ratingSum">) =>
  averageRating(s.ratingSum, s.feedbackCount);

/** Every initialized hospital's score: ranks are counted among all of them (sdk `rankOf`, "1224"
 *  competition ranking). An alliance has tens of hospitals, so one small read beats a count per row. */
const allScores = (ctx: AppContext) =>
  ctx.prisma.hospitalScore.findMany({ select: { score: true } }).then((rows) => rows.map((r) => r.score));

/** The score of one hospital (a member with role hospital). */
export async function scoreView(
  ctx: AppContext,
  hospital: { address: string; level: number | null },
): Promise<ScoreView> {
  const [s, names] = await Promise.all([
    ctx.prisma.hospitalScore.findUnique({ where: { hospital: hospital.address } }),
    namesOf(ctx, [hospital.address]),
  ]);
  return {
    hospital: hospital.address,
    name: names.get(hospital.address) ?? null,
    level: hospital.level ?? null,
    levelName: levelNameOf(hospital.level),
    initialized: !!s,
    score: s?.score ?? null,
    initialLevel: s?.level ?? null,
    initialScore: s ? initialScore(s.level) : null,
    feedbackCount: s?.feedbackCount ?? 0,
    averageRating: s ? averageOf(s) : null,
    rank: s ? rankOf(s.score, await allScores(ctx)) : null,
  };
}

export async function rankingViews(ctx: AppContext, rows: HospitalScore[]) {
  const [names, members, scores] = await Promise.all([
    namesOf(
      ctx,
      rows.map((r) => r.hospital),
    ),
    ctx.prisma.member.findMany({
      where: { address: { in: rows.map((r) => r.hospital) } },
      select: { address: true, level: true },
    }),
    allScores(ctx),
  ]);
  const levelOf = new Map(members.map((m) => [m.address, m.level]));
  return rows.map((r) => {
    const level = levelOf.get(r.hospital) ?? null;
    return {
      rank: rankOf(r.score, scores),
      hospital: r.hospital,
      name: names.get(r.hospital) ?? null,
      score: r.score,
      level,
      levelName: levelNameOf(level),
      feedbackCount: r.feedbackCount,
      averageRating: averageOf(r),
    };
  });
}

/** The comment hash of a feedback is on chain only (FeedbackGiven does not carry it). */
async function commentHashOf(ctx: AppContext, visitId: string): Promise<string | null> {
  const f = await ctx.chain.contracts.HospitalScore.call<{ commentHash: string }>("feedbackOf", [visitId]);
  const hash = String(f.commentHash).toLowerCase();
  return hash === ZeroHash ? null : hash;
}

export async function scoreEventViews(ctx: AppContext, rows: ScoreEvent[]): Promise<ScoreEventView[]> {
  const comments = await Promise.all(
    rows.map((r) => (r.kind === "feedback" && r.visitId ? commentHashOf(ctx, r.visitId) : null)),
  );
  const hashes = rows.map((r, i) => r.evidenceHash ?? comments[i] ?? null);
  const [texts, txHashOf] = await Promise.all([textsOf(ctx, hashes), txHashesOf(ctx, rows)]);
  return rows.map((r, i) => {
    const reason = r.reasonCode ? SCORE_REASONS.find((x) => x.code === r.reasonCode) : undefined;
    return {
      kind: r.kind as ScoreEventView["kind"],
      reasonCode: r.reasonCode,
      reason: reason ? { code: reason.code, key: reason.key, zh: reason.zh, en: reason.en } : null,
      delta: r.delta,
      score: r.score,
      evidenceHash: hashes[i]!,
      evidence: hashes[i] ? (texts.get(hashes[i]!) ?? null) : null,
      actor: r.actor,
      visitId: r.visitId,
      rating: r.rating,
      at: Number(r.at),
      txHash: txHashOf(r),
    };
  });
}
