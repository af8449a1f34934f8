/**
 * The hospital evaluation score (医院评估) as pure functions, mirroring contracts/src/HospitalScore.sol
 * step by step, so that the server, the portal and the tests can recompute a score from its history
 * and check it against the chain:
 *
 * - initialization: 500 + 100 · level (一级 600, 二级 700, 三级 800);
 * - an admin adjustment adds its signed delta (reason 1 误诊 < 0, 2 疑难杂症救治 > 0, 3/4 either sign,
 *   never 0, |delta| ≤ 100);
 * - a patient's feedback adds rating − 3 (rating 1–5: −2 … +2);
 * - after every step the score is clamped to 0–1000 (the contract's `_move`), so a clamp is never
 *   undone by a later step: 990 + 50 → 1000, then − 30 → 970 (not 1010 − 30 = 980).
 *
 * Ranking is "1224" competition ranking: a hospital's rank is 1 + the number of hospitals with a
 * strictly higher score, so equal scores share a rank and the next rank skips.
 */
import { INITIAL_SCORE, checkAdjustment, clampScore } from "./typed/care.ts";

/** The rating that leaves the score unchanged (HospitalScore.NEUTRAL_RATING). */
export const NEUTRAL_RATING = 3;
export const MIN_RATING = 1;
export const MAX_RATING = 5;

/** One step of a hospital's score history, with what the contract takes from it. */
export type ScoreStep =
  | { kind: "initial"; level: number }
  | { kind: "adjustment"; reasonCode: number; delta: number }
  | { kind: "feedback"; rating: number };

/** The score a hospital of `level` (1–3) starts from; throws like the contract for any other level. */
export function initialScore(level: number): number {
  const score = INITIAL_SCORE[level as 1 | 2 | 3];
  if (score === undefined) throw new RangeError(`level ${level} is not 1, 2 or 3 (HospitalScoreLevelNotSet)`);
  return score;
}

/** How far a feedback of `rating` (1–5) moves the score before clamping: rating − 3. */
export function feedbackDelta(rating: number): number {
  if (!Number.isInteger(rating) || rating < MIN_RATING || rating > MAX_RATING) {
    throw new RangeError(`rating ${rating} is not 1–5 (HospitalScoreInvalidRating)`);
  }
  return rating - NEUTRAL_RATING;
}

/** `score + delta`, clamped to 0–1000 (the contract's `_move`). */
export function moveScore(score: number, delta: number): number {
  return Number(clampScore(score, delta));
}

/** The delta a step adds before clamping; throws where the contract would revert. */
function deltaOf(step: Exclude<ScoreStep, { kind: "initial" }>): number {
  if (step.kind === "feedback") return feedbackDelta(step.rating);
  const refusal = checkAdjustment(step.reasonCode, step.delta);
  if (refusal)
    throw new RangeError(`adjustment (reason ${step.reasonCode}, delta ${step.delta}) refused: ${refusal}`);
  return step.delta;
}

/**
 * The score after each step, in order (the history's "score after" column). The first step must be
 * the initialization and there is only one (HospitalScoreNotInitialized / AlreadyInitialized).
 */
export function scoreTrail(steps: readonly ScoreStep[]): number[] {
  const trail: number[] = [];
  let score: number | null = null;
  for (const step of steps) {
    if (step.kind === "initial") {
      if (score !== null) throw new Error("the score is initialized twice (HospitalScoreAlreadyInitialized)");
      score = initialScore(step.level);
    } else {
      if (score === null)
        throw new Error(`a ${step.kind} before initialization (HospitalScoreNotInitialized)`);
      score = moveScore(score, deltaOf(step));
    }
    trail.push(score);
  }
  return trail;
}

/** The score after all `steps` (null when there are none: not initialized). */
export function scoreAfter(steps: readonly ScoreStep[]): number | null {
  const trail = scoreTrail(steps);
  return trail.length ? trail[trail.length - 1]! : null;
}

/** The mean patient rating, rounded to two decimals; null without feedback. */
export function averageRating(ratingSum: number, feedbackCount: number): number | null {
  return feedbackCount > 0 ? Math.round((ratingSum / feedbackCount) * 100) / 100 : null;
}

/** The rank of `score` among `allScores` (which include it): 1 + how many are strictly higher. */
export function rankOf(score: number, allScores: readonly number[]): number {
  return 1 + allScores.filter((s) => s > score).length;
}

/**
 * The items sorted by score, highest first, each with its competition rank ("1224"): equal scores
 * share a rank, and keep their order in `items` among themselves.
 */
export function ranking<T extends { score: number }>(items: readonly T[]): (T & { rank: number })[] {
  const scores = items.map((i) => i.score);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.score - a.item.score || a.index - b.index)
    .map(({ item }) => ({ ...item, rank: rankOf(item.score, scores) }));
}
