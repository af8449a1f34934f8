import { describe, expect, it } from "vitest";
import {
  averageRating,
  feedbackDelta,
  initialScore,
  moveScore,
  rankOf,
  ranking,
  scoreAfter,
  scoreTrail,
  type ScoreStep,
} from "../src/index.ts";

// The score formula on worked examples; every expected number is worked out by hand in the comments
// from the rules of contracts/src/HospitalScore.sol (500 + 100·level; + delta; + rating − 3; clamp to
// 0–1000 after every step).

const init = (level: number): ScoreStep => ({ kind: "initial", level });
const adjust = (reasonCode: number, delta: number): ScoreStep => ({ kind: "adjustment", reasonCode, delta });
const rate = (rating: number): ScoreStep => ({ kind: "feedback", rating });

describe("initial score and feedback delta", () => {
  it("starts at 500 + 100 · level", () => {
    // 500 + 100 = 600, 500 + 200 = 700, 500 + 300 = 800
    expect([1, 2, 3].map(initialScore)).toEqual([600, 700, 800]);
  });

  it("refuses a level outside 1–3, as the contract does", () => {
    for (const level of [0, 4, -1, 1.5]) expect(() => initialScore(level)).toThrow(/level/);
  });

  it("moves by rating − 3 and refuses ratings outside 1–5", () => {
    // 1 − 3 = −2, 2 − 3 = −1, 3 − 3 = 0, 4 − 3 = 1, 5 − 3 = 2
    expect([1, 2, 3, 4, 5].map(feedbackDelta)).toEqual([-2, -1, 0, 1, 2]);
    for (const rating of [0, 6, 2.5]) expect(() => feedbackDelta(rating)).toThrow(/rating/);
  });

  it("clamps one move to 0–1000", () => {
    expect(moveScore(990, 50)).toBe(1000); // 1040 → 1000
    expect(moveScore(30, -100)).toBe(0); // −70 → 0
    expect(moveScore(500, -100)).toBe(400);
  });
});

describe("score after a sequence", () => {
  it("clamps at 1000 in the middle, and the clamp is not undone later", () => {
    const steps = [
      init(3), //          800
      adjust(2, 100), //   800 + 100 = 900
      adjust(3, 100), //   900 + 100 = 1000
      adjust(4, 50), //   1000 + 50 = 1050 → 1000
      rate(5), //         1000 + 2 = 1002 → 1000
      adjust(1, -30), //  1000 − 30 = 970
      rate(1), //          970 − 2 = 968
    ];
    expect(scoreTrail(steps)).toEqual([800, 900, 1000, 1000, 1000, 970, 968]);
    // Summing without clamping would give 800 + 100 + 100 + 50 + 2 − 30 − 2 = 1020.
    expect(scoreAfter(steps)).toBe(968);
  });

  it("clamps at 0 in the middle, and climbs back from 0", () => {
    const steps = [
      init(1), //                                600
      ...[1, 2, 3, 4, 5].map(() => adjust(1, -100)), // 500, 400, 300, 200, 100
      rate(1), //                                100 − 2 = 98
      adjust(4, -100), //                         98 − 100 = −2 → 0
      rate(1), //                                  0 − 2 = −2 → 0
      rate(5), //                                  0 + 2 = 2
      adjust(2, 100), //                           2 + 100 = 102
      rate(3), //                                102 + 0 = 102
    ];
    expect(scoreTrail(steps)).toEqual([600, 500, 400, 300, 200, 100, 98, 0, 0, 2, 102, 102]);
    expect(scoreAfter(steps)).toBe(102);
  });

  it("has no score before initialization", () => {
    expect(scoreAfter([])).toBeNull();
  });

  it("refuses what the contract refuses", () => {
    expect(() => scoreTrail([adjust(2, 10)])).toThrow(/NotInitialized/);
    expect(() => scoreTrail([rate(4)])).toThrow(/NotInitialized/);
    expect(() => scoreTrail([init(2), init(2)])).toThrow(/AlreadyInitialized/);
    expect(() => scoreTrail([init(2), adjust(1, 10)])).toThrow(/InvalidDelta/); // misdiagnosis must be < 0
    expect(() => scoreTrail([init(2), adjust(2, -10)])).toThrow(/InvalidDelta/); // rescue must be > 0
    expect(() => scoreTrail([init(2), adjust(3, 0)])).toThrow(/InvalidDelta/);
    expect(() => scoreTrail([init(2), adjust(4, 101)])).toThrow(/DeltaOutOfRange/);
    expect(() => scoreTrail([init(2), adjust(5, 10)])).toThrow(/InvalidReason/);
    expect(() => scoreTrail([init(2), rate(6)])).toThrow(/rating/);
  });
});

describe("ranking", () => {
  const hospitals = [
    { id: "A", score: 900 },
    { id: "B", score: 700 },
    { id: "C", score: 900 },
    { id: "D", score: 650 },
    { id: "E", score: 700 },
  ];

  it("gives equal scores the same rank and skips the next ranks (1, 1, 3, 3, 5)", () => {
    // A and C: nobody higher → 1. B and E: A and C higher → 3. D: four higher → 5.
    expect(ranking(hospitals).map((h) => [h.id, h.rank])).toEqual([
      ["A", 1],
      ["C", 1],
      ["B", 3],
      ["E", 3],
      ["D", 5],
    ]);
  });

  it("ranks one score among all: 1 + the number strictly higher", () => {
    const all = hospitals.map((h) => h.score);
    expect(rankOf(900, all)).toBe(1);
    expect(rankOf(700, all)).toBe(3);
    expect(rankOf(650, all)).toBe(5);
    expect(rankOf(800, [800, 800, 800])).toBe(1);
  });

  it("keeps the items' own fields and does not reorder its input", () => {
    const copy = hospitals.map((h) => ({ ...h }));
    const ranked = ranking(copy);
    expect(ranked[0]).toEqual({ id: "A", score: 900, rank: 1 });
    expect(copy.map((h) => h.id)).toEqual(["A", "B", "C", "D", "E"]);
    expect(ranking([])).toEqual([]);
  });
});

describe("average rating", () => {
  it("is the mean rating to two decimals, or null without feedback", () => {
    expect(averageRating(5 + 4 + 4, 3)).toBe(4.33); // 13 / 3 = 4.333…
    expect(averageRating(5 + 4, 2)).toBe(4.5);
    expect(averageRating(5 + 5 + 4, 3)).toBe(4.67); // 14 / 3 = 4.666… rounds up
    expect(averageRating(0, 0)).toBeNull();
  });
});
