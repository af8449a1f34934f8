import { describe, expect, it } from "vitest";
import { buildRatingData, type DoctorInfo, type Rating } from "../src/analytics/recommend-data.ts";
import { compareWithBaseline, generateRatings, splitHeldOut } from "../src/analytics/recommend-evaluate.ts";
import { buildSlopeOne, slopeOnePredict } from "../src/analytics/recommend-slope-one.ts";
import { buildRecommender } from "../src/analytics/recommend.ts";

const doc = (doctorId: string, department = "cardiology", hospitalScore = 80): DoctorInfo => ({ doctorId, department, hospitalScore });
const rate = (patientId: string, doctorId: string, rating: number): Rating => ({ patientId, doctorId, rating });

describe("slope one", () => {
  // Lemire & Maclachlan 2005 / Wikipedia "Slope One": John A=5 B=3 C=2, Mark A=3 B=4, Lucy B=2 C=5.
  // dev(A,B) = ((5−3) + (3−4)) / 2 = 0.5 with c = 2 (John, Mark); dev(A,C) = 5 − 2 = 3 with c = 1 (John).
  // Weighted:   ((0.5 + 2)·2 + (3 + 5)·1) / (2 + 1) = (5 + 8) / 3 = 13/3 ≈ 4.333.
  // Unweighted: ((0.5 + 2) + (3 + 5)) / 2 = 10.5 / 2 = 5.25.
  const ratings = [
    rate("John", "A", 5), rate("John", "B", 3), rate("John", "C", 2),
    rate("Mark", "A", 3), rate("Mark", "B", 4),
    rate("Lucy", "B", 2), rate("Lucy", "C", 5),
  ];
  const data = buildRatingData(ratings, [doc("A"), doc("B"), doc("C")]);
  const model = buildSlopeOne(data);
  const lucy = data.patientIndex.get("Lucy")!;
  const from = data.userStart[lucy]!;
  const to = data.userStart[lucy + 1]!;
  const user = { items: data.userItem.subarray(from, to), ratings: data.userRating.subarray(from, to) };
  const a = data.doctorIndex.get("A")!;

  it("gives the published weighted prediction for Lucy and item A", () => {
    expect(slopeOnePredict(model, user, a, true)!.value).toBeCloseTo(13 / 3, 12);
  });
  it("differs from the unweighted form, which averages the two estimates equally", () => {
    expect(slopeOnePredict(model, user, a, false)!.value).toBeCloseTo(5.25, 12);
  });
  it("keeps the deviations antisymmetric", () => {
    const b = data.doctorIndex.get("B")!;
    expect(model.diffSum[a * 3 + b]).toBe(1); // (5−3) + (3−4)
    expect(model.diffSum[b * 3 + a]).toBe(-1);
    expect(model.count[a * 3 + b]).toBe(2);
  });
});

describe("user-based CF on a hand-checked example", () => {
  // u: a=5 b=1 (mean 3);  v: a=5 b=1 c=4 d=2 (mean 3);  w: a=1 b=5 c=3 d=3 (mean 3);  x: a=5 c=3 (mean 4).
  // sim(u,v) = (2·2 + (−2)(−2)) / √(8·8) = 1, co-rated 2, shrink 2 → 1.
  // sim(u,w) = (2(−2) + (−2)2) / 8 = −1 → not a neighbour (minSimilarity 0).
  // sim(u,x) over {a}: 2·1 / √(4·1) = 1, co-rated 1 → shrunk by 1/2 → 0.5.
  // P(u,c) = 3 + (1·(4−3) + 0.5·(3−4)) / (1 + 0.5) = 3 + 1/3 = 10/3.
  // P(u,d) = 3 + 1·(2−3) / 1 = 2.
  // Slope one for d (v and w rated a, b and d): Σ diff(d,a) = (2−5) + (3−1) = −1, c 2;
  //   Σ diff(d,b) = (2−1) + (3−5) = −1, c 2;  ((−1 + 5·2) + (−1 + 1·2)) / (2 + 2) = 10/4 = 2.5.
  //   Blend 0.5·2.5 + 0.5·2 = 2.25.
  const ratings = [
    rate("u", "a", 5), rate("u", "b", 1),
    rate("v", "a", 5), rate("v", "b", 1), rate("v", "c", 4), rate("v", "d", 2),
    rate("w", "a", 1), rate("w", "b", 5), rate("w", "c", 3), rate("w", "d", 3),
    rate("x", "a", 5), rate("x", "c", 3),
  ];
  const doctors = ["a", "b", "c", "d"].map((id) => doc(id));
  const recommender = buildRecommender(ratings, doctors, { blendWeight: 0.5, userCf: { neighbours: 30, shrink: 2, minSimilarity: 0 } });

  it("predicts from the positively similar neighbours", () => {
    expect(recommender.predict("u", "c")!.userCf).toBeCloseTo(10 / 3, 12);
    expect(recommender.predict("u", "d")!.userCf).toBeCloseTo(2, 12);
  });
  it("uses only the k nearest", () => {
    const one = buildRecommender(ratings, doctors, { userCf: { neighbours: 1, shrink: 2, minSimilarity: 0 } });
    expect(one.predict("u", "c")!.userCf).toBeCloseTo(4, 12); // v alone: 3 + (4 − 3)
  });
  it("blends slope one and CF with the weight", () => {
    const d = recommender.predict("u", "d")!;
    expect(d.slopeOne).toBeCloseTo(2.5, 12);
    expect(d.value).toBeCloseTo(2.25, 12);
  });
});

describe("top-N and cold start", () => {
  const doctors = [
    doc("c1", "cardiology", 70), doc("c2", "cardiology", 95), doc("c3", "cardiology", 85), doc("c4", "cardiology", 60),
    doc("n1", "neurology", 99),
  ];
  const ratings = [
    rate("p1", "c1", 5), rate("p1", "c2", 1),
    rate("p2", "c1", 5), rate("p2", "c2", 1), rate("p2", "c4", 5),
    rate("p3", "n1", 4),
  ];
  const recommender = buildRecommender(ratings, doctors);

  it("ranks a patient with no ratings by hospital score within the department", () => {
    const top = recommender.topN("new-patient", { department: "cardiology", n: 3 });
    expect(top.map((r) => r.doctorId)).toEqual(["c2", "c3", "c1"]);
    expect(top.every((r) => r.source === "cold-start")).toBe(true);
  });
  it("keeps to the department, leaves out rated doctors, and fills places the models cannot predict", () => {
    const top = recommender.topN("p1", { department: "cardiology", n: 3 });
    // p1 rated c1 and c2; only c4 (rated by p2, who shares c1 and c2) can be predicted; c3 comes from the cold-start list.
    expect(top.map((r) => [r.doctorId, r.source])).toEqual([["c4", "model"], ["c3", "cold-start"]]);
    expect(top.every((r) => r.department === "cardiology")).toBe(true);
  });
  it("keeps rated doctors when asked", () => {
    const ids = recommender.topN("p1", { department: "cardiology", n: 4, includeRated: true }).map((r) => r.doctorId);
    expect(new Set(ids)).toEqual(new Set(["c1", "c2", "c3", "c4"]));
  });
  it("gives one list per department", () => {
    const all = recommender.topNPerDepartment("new-patient", 2);
    expect(Object.keys(all)).toEqual(["cardiology", "neurology"]);
    expect(all.neurology!.map((r) => r.doctorId)).toEqual(["n1"]);
  });
});

describe("bad input", () => {
  const doctors = [doc("a"), doc("b")];
  it("rejects ratings outside 1..5", () => {
    expect(() => buildRecommender([rate("p", "a", 6)], doctors)).toThrow(/rating 0: rating 6 is outside 1..5/);
    expect(() => buildRecommender([rate("p", "a", 0)], doctors)).toThrow(/outside 1..5/);
    expect(() => buildRecommender([rate("p", "a", Number.NaN)], doctors)).toThrow(/outside 1..5/);
  });
  it("names unknown ids", () => {
    expect(() => buildRecommender([rate("p", "zz", 3)], doctors)).toThrow(/unknown doctor zz/);
    const r = buildRecommender([rate("p", "a", 3)], doctors);
    expect(() => r.predict("p", "zz")).toThrow(/unknown doctor zz/);
    expect(() => r.predict("nobody", "a")).toThrow(/unknown patient nobody/);
    expect(() => r.topN("p", { department: "surgery" })).toThrow(/unknown department surgery/);
    expect(() => buildRecommender([], [doc("a"), doc("a")])).toThrow(/doctor a is listed twice/);
  });
});

describe("held-out accuracy on generated ratings", () => {
  it("the blend beats the per-doctor-mean baseline in RMSE and MAE", () => {
    const { ratings, doctors } = generateRatings(1500, 100, 30000, 7);
    const { train, test } = splitHeldOut(ratings, 0.1, 11);
    const report = compareWithBaseline(buildRecommender(train, doctors), train, test);
    console.log(JSON.stringify(report));
    expect(report.heldOut).toBeGreaterThan(2000);
    expect(report.blend.rmse).toBeLessThan(report.baseline.rmse);
    expect(report.blend.mae).toBeLessThan(report.baseline.mae);
  });
});
