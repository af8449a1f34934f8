import { clampScore, INITIAL_SCORE } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { check, existence, verify, type Check, type Verification } from "./checks.ts";

// A hospital's score: its mirror row against HospitalScore.scoreOf, and the score recomputed from the
// mirrored history (the initial score, then each adjustment and feedback, clamped to 0–1000 after
// every change as the contract does).

export interface ChainScore {
  score: number;
  level: number;
  feedbackCount: number;
  ratingSum: number;
  initialized: boolean;
}

export async function chainScoreOf(ctx: AppContext, hospital: string): Promise<ChainScore> {
  const s = await ctx.chain.contracts.HospitalScore.call<Record<string, unknown>>("scoreOf", [hospital]);
  return {
    score: Number(s.score),
    level: Number(s.level),
    feedbackCount: Number(s.feedbackCount),
    ratingSum: Number(s.ratingSum),
    initialized: Boolean(s.initialized),
  };
}

interface Replay {
  initial: number | null;
  score: bigint | null;
  feedbacks: number;
  ratingSum: number;
}

const HISTORY_PAGE = 500;

/** Replays the hospital's score history page by page, in chain order. */
async function replayHistory(ctx: AppContext, hospital: string): Promise<Replay> {
  const r: Replay = { initial: null, score: null, feedbacks: 0, ratingSum: 0 };
  for (let skip = 0; ; skip += HISTORY_PAGE) {
    const events = await ctx.prisma.scoreEvent.findMany({
      where: { hospital },
      orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
      skip,
      take: HISTORY_PAGE,
    });
    for (const e of events) {
      if (e.kind === "initial") {
        r.initial = e.delta;
        r.score = BigInt(e.delta);
      } else if (e.kind === "feedback") {
        // Feedback moves the score by rating − 3 (the recorded delta is what remained after clamping).
        r.feedbacks += 1;
        r.ratingSum += e.rating ?? 0;
        r.score = r.score === null ? null : clampScore(r.score, (e.rating ?? 3) - 3);
      } else {
        r.score = r.score === null ? null : clampScore(r.score, e.delta);
      }
    }
    if (events.length < HISTORY_PAGE) return r;
  }
}

async function inspectScore(ctx: AppContext, hospital: string) {
  const [row, chain, history] = await Promise.all([
    ctx.prisma.hospitalScore.findUnique({ where: { hospital } }),
    chainScoreOf(ctx, hospital),
    replayHistory(ctx, hospital),
  ]);
  if (!chain.initialized)
    return { checks: [existence("score initialized on chain", !!row, false)], chain: null };
  const initial = INITIAL_SCORE[chain.level as 1 | 2 | 3];
  const checks: Check[] = [
    check("score initialized on chain", "true", "true"),
    existence("mirror row exists", !!row, true),
    check("mirror score", row?.score, chain.score),
    check("mirror level", row?.level, chain.level),
    check("mirror feedback count", row?.feedbackCount, chain.feedbackCount),
    check("mirror rating sum", row?.ratingSum, chain.ratingSum),
    check("initial score in history = initial score of the level", history.initial, initial),
    check(
      "score recomputed from history (initial + Σ deltas, clamped) = score on chain",
      history.score,
      chain.score,
    ),
    check("feedbacks in history = feedback count on chain", history.feedbacks, chain.feedbackCount),
    check("ratings in history = rating sum on chain", history.ratingSum, chain.ratingSum),
  ];
  return { checks, chain: { hospital, ...chain } };
}

/** Compares a hospital's mirrored score and its history with HospitalScore. */
export function verifyScore(ctx: AppContext, hospital: string): Promise<Verification> {
  return verify(ctx, "score", hospital, () => inspectScore(ctx, hospital));
}
