import { ranking, scoreAfter, scoreTrail, type ScoreStep } from "@yyl/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { adjustScore, setHospitalLevel } from "../scripts/lib/api-acts.ts";
import { buildAlliance, type Alliance } from "./support/alliance.ts";
import { rateVisit } from "./support/incentives.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The documented score formula (sdk/src/hospital-score.ts, docs/analytics.md "Hospital score") against
// the real chain: four hospitals are initialized from their levels, adjusted by the admin and rated by
// patients through the API; the mirrored scores, each history row's "score after" and the ranking
// must equal what the formula gives for the history the API returns, and the numbers worked out by
// hand below.
//
//   A 三级: 800 → +100 (rescue) 900 → +100 (pre-visit) 1000 → +50 (post-visit) 1050, clamped 1000
//           → rating 5: 1000 + 2 = 1002, clamped 1000 → −30 (misdiagnosis) 970 → rating 1: 970 − 2 = 968
//   B 二级: 700 → rating 4: 701 → −1 (pre-visit) 700
//   C 一级: 600 → +50 (post-visit) 650
//   D 二级: 700 (nothing else)
// Ranking ("1224"): A 968 → 1; B 700 and D 700 → 2 (one higher); C 650 → 4 (three higher).
// Ratings: A (5 + 1) / 2 = 3, B 4 / 1 = 4, C and D none.

let stack: Stack;
let al: Alliance;
let hospitalC: ApiActor;
let hospitalD: ApiActor;

interface ScoreView {
  hospital: string;
  score: number | null;
  initialLevel: number | null;
  initialScore: number | null;
  feedbackCount: number;
  averageRating: number | null;
  rank: number | null;
}
interface EventView {
  kind: "initial" | "adjustment" | "feedback";
  reasonCode: number | null;
  delta: number;
  score: number;
  rating: number | null;
  evidence: string | null;
}
interface RankingItem {
  rank: number;
  hospital: string;
  score: number;
  feedbackCount: number;
  averageRating: number | null;
}
/** What a score change answers: the score now and the event that moved it. */
type Rated = { score: ScoreView; event: EventView };
interface Page<T> {
  items: T[];
  total: number;
}

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
  [hospitalC, hospitalD] = [al.newActor(), al.newActor()];
  for (const [h, name] of [
    [hospitalC, "丙医院"],
    [hospitalD, "丁医院"],
  ] as const) {
    await h.signIn();
    await h.apply("hospital", { name });
    await al.admin.decide(h.address, "approve");
  }
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

const scoreOf = (hospital: string) => al.admin.request<ScoreView>("GET", `/hospitals/${hospital}/score`);

/** The history oldest first, as the formula's steps (the initial step from the level it was set from). */
async function stepsOf(hospital: string): Promise<{ rows: EventView[]; steps: ScoreStep[] }> {
  const [page, score] = await Promise.all([
    al.patientA.request<Page<EventView>>(
      "GET",
      `/hospitals/${hospital}/score/history?sort=at:asc&pageSize=100`,
    ),
    scoreOf(hospital),
  ]);
  const steps = page.items.map((e): ScoreStep => {
    if (e.kind === "initial") return { kind: "initial", level: score.initialLevel! };
    if (e.kind === "adjustment") return { kind: "adjustment", reasonCode: e.reasonCode!, delta: e.delta };
    return { kind: "feedback", rating: e.rating! };
  });
  return { rows: page.items, steps };
}

describe("the score formula against the chain", () => {
  it("initializes each hospital at 500 + 100 · level", async () => {
    const levels: [ApiActor, 1 | 2 | 3, number][] = [
      [al.hospitalA, 3, 800],
      [al.hospitalB, 2, 700],
      [hospitalC, 1, 600],
      [hospitalD, 2, 700],
    ];
    for (const [h, level, expected] of levels) {
      await setHospitalLevel(al.admin, h.address, level);
      const s = await al.admin.request<ScoreView>("POST", `/hospitals/${h.address}/score/initialization`, {});
      expect(s).toMatchObject({ score: expected, initialScore: expected, initialLevel: level });
    }
  });

  it("applies adjustments and feedback step by step, clamping at 1000", async () => {
    const a = al.hospitalA.address;
    expect((await adjustScore<Rated>(al.admin, a, 2, 100, "救治罕见病患者")).event).toMatchObject({
      delta: 100,
      score: 900,
    });
    expect((await adjustScore<Rated>(al.admin, a, 3, 100, "诊前预约服务优秀")).event).toMatchObject({
      delta: 100,
      score: 1000,
    });
    // 1000 + 50 is clamped; an adjustment's row keeps the delta as signed.
    expect((await adjustScore<Rated>(al.admin, a, 4, 50, "诊后随访优秀")).event).toMatchObject({
      delta: 50,
      score: 1000,
    });
    // 1000 + 2 is clamped; a feedback's row shows the change after clamping: 0.
    const top = await rateVisit<Rated>(stack, al.patientA, al.hospitalA, al.doctorA, 5);
    expect(top.event).toMatchObject({ kind: "feedback", rating: 5, delta: 0, score: 1000 });
    expect((await adjustScore<Rated>(al.admin, a, 1, -30, "误诊一例")).event).toMatchObject({
      delta: -30,
      score: 970,
    });
    const low = await rateVisit<Rated>(stack, al.patientB, al.hospitalA, al.doctorA, 1);
    expect(low.event).toMatchObject({ rating: 1, delta: -2, score: 968 });
    expect(low.score).toMatchObject({ score: 968, feedbackCount: 2, averageRating: 3 });

    expect((await rateVisit<Rated>(stack, al.patientA, al.hospitalB, al.doctorB, 4)).event.score).toBe(701);
    expect(
      (await adjustScore<Rated>(al.admin, al.hospitalB.address, 3, -1, "诊前候诊超时")).event.score,
    ).toBe(700);
    expect((await adjustScore<Rated>(al.admin, hospitalC.address, 4, 50, "诊后回访")).event.score).toBe(650);
  });

  it("mirrors the score that the formula gives for the history the API returns", async () => {
    const expected = new Map([
      [al.hospitalA.address, { score: 968, trail: [800, 900, 1000, 1000, 1000, 970, 968] }],
      [al.hospitalB.address, { score: 700, trail: [700, 701, 700] }],
      [hospitalC.address, { score: 650, trail: [600, 650] }],
      [hospitalD.address, { score: 700, trail: [700] }],
    ]);
    for (const [hospital, want] of expected) {
      const { rows, steps } = await stepsOf(hospital);
      expect(rows.map((r) => r.score)).toEqual(want.trail);
      expect(scoreTrail(steps)).toEqual(want.trail);
      expect(scoreAfter(steps)).toBe(want.score);
      expect((await scoreOf(hospital)).score).toBe(want.score);
      const onChain = await stack.app.context.chain.contracts.HospitalScore.call<{ score: bigint }>(
        "scoreOf",
        [hospital],
      );
      expect(Number(onChain.score)).toBe(want.score);
    }
  });

  it("ranks with shared ranks for equal scores (1, 2, 2, 4), whatever the sort", async () => {
    const page = await al.patientA.request<Page<RankingItem>>("GET", "/hospitals/ranking?pageSize=100");
    expect(page.total).toBe(4);
    const rankOf = new Map(page.items.map((i) => [i.hospital, i.rank]));
    expect(rankOf).toEqual(
      new Map([
        [al.hospitalA.address, 1],
        [al.hospitalB.address, 2],
        [hospitalD.address, 2],
        [hospitalC.address, 4],
      ]),
    );
    expect(page.items.map((i) => i.score)).toEqual([968, 700, 700, 650]);
    // The formula's ranking of the same scores gives the same ranks.
    const byFormula = ranking(page.items.map((i) => ({ hospital: i.hospital, score: i.score })));
    expect(new Map(byFormula.map((i) => [i.hospital, i.rank]))).toEqual(rankOf);
    expect(page.items.find((i) => i.hospital === al.hospitalB.address)).toMatchObject({
      feedbackCount: 1,
      averageRating: 4,
    });
    expect(page.items.find((i) => i.hospital === hospitalC.address)).toMatchObject({
      feedbackCount: 0,
      averageRating: null,
    });

    // Sorted by feedback count the order changes, the ranks do not: A (2), B (1), then C and D (0).
    const byFeedback = await al.patientA.request<Page<RankingItem>>(
      "GET",
      "/hospitals/ranking?sort=feedback:desc&pageSize=100",
    );
    expect(byFeedback.items.slice(0, 2).map((i) => [i.hospital, i.rank])).toEqual([
      [al.hospitalA.address, 1],
      [al.hospitalB.address, 2],
    ]);
    expect((await scoreOf(hospitalD.address)).rank).toBe(2);
    expect((await scoreOf(hospitalC.address)).rank).toBe(4);
  });
});
