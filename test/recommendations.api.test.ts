import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { recommendationModelBuilds } from "../server/src/recommendations/model.ts";
import { buildAlliance, detailPaths, expectApiError, type Alliance } from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { delegateOnChain } from "./support/chain-acts.ts";
import { admitDoctor, admitPatient, initializeScore, rateVisit } from "./support/incentives.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Doctor recommendations from real visits and feedback on chain.
//
// Cardiology doctors: X (doctor A, 甲医院), Y (doctor B, 乙医院), Z (乙医院), W (甲医院); pediatrics: P (甲医院).
// Feedback (each a finished visit whose consultation the doctor signed):
//   p1 (patient A): X 5, Y 1
//   p2 (patient B): X 5, Y 1, Z 5, W 1      — the same tastes as p1
//   p3:             X 1, Y 5, Z 1, W 5      — the opposite tastes
// For p1 (mean 3), by hand:
//   weighted slope one: dev(Z,X) = ((5−5)+(1−1))/2 = 0, dev(Z,Y) = ((5−1)+(1−5))/2 = 0, so
//     Z = ((5+0)·2 + (1+0)·2)/4 = 3; likewise W = 3.
//   user CF: p2 centred on X,Y is (2,−2) like p1: cosine 1, shrunk by 2 co-rated/5 = 0.4; p3 is −1 and
//     dropped (only positive neighbours). Z = 3 + 0.4·(5−3)/0.4 = 5; W = 3 + 0.4·(1−3)/0.4 = 1.
//   blend 0.25·slope one + 0.75·user CF: Z = 0.75 + 3.75 = 4.5, W = 0.75 + 0.75 = 1.5.
// X and Y, which p1 rated, are left out.
// Hospital scores: 甲 level 3 (800), 乙 level 2 (700); feedback moves each by at most ±2 per rating, so
// 甲 stays above 乙. Cold start for cardiology: 甲's doctors first (X with 3 ratings before W with 2),
// then 乙's (Y with 3 before Z with 2).

let stack: Stack;
let al: Alliance;
let X: ApiActor, Y: ApiActor, Z: ApiActor, W: ApiActor, P: ApiActor;
let p1: ApiActor, p2: ApiActor, p3: ApiActor, p4: ApiActor;

interface Item {
  doctor: string;
  name: string | null;
  hospital: string;
  hospitalName: string | null;
  department: string | null;
  predicted: number | null;
  basis: string;
  hospitalScore: number | null;
  ratingCount: number;
  averageRating: number | null;
}
interface Answer {
  patient: string;
  department: string | null;
  coldStart: boolean;
  items: Item[];
}

const recommend = (who: ApiActor, query: string) =>
  who.request<Answer>("GET", `/recommendations/doctors?${query}`);

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
  await initializeScore(al, al.hospitalA, 3);
  await initializeScore(al, al.hospitalB, 2);
  X = al.doctorA;
  Y = al.doctorB;
  Z = await admitDoctor(al, al.hospitalB, "丙医生", "心内科");
  W = await admitDoctor(al, al.hospitalA, "丁医生", "Cardiology");
  P = await admitDoctor(al, al.hospitalA, "戊医生", "儿科");
  p1 = al.patientA;
  p2 = al.patientB;
  p3 = await admitPatient(al, "王五");
  p4 = await admitPatient(al, "赵六");
  const A = al.hospitalA;
  const B = al.hospitalB;
  await rateVisit(stack, p1, A, X, 5);
  await rateVisit(stack, p1, B, Y, 1);
  for (const [p, x, y, z, w] of [
    [p2, 5, 1, 5, 1],
    [p3, 1, 5, 1, 5],
  ] as const) {
    await rateVisit(stack, p, A, X, x);
    await rateVisit(stack, p, B, Y, y);
    await rateVisit(stack, p, B, Z, z);
    await rateVisit(stack, p, A, W, w);
  }
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

describe("doctor recommendations", () => {
  it("ranks first the doctor that a patient of the same tastes rated well, leaving out the ones already rated", async () => {
    const r = await recommend(p1, "department=cardiology");
    expect(r.coldStart).toBe(false);
    expect(r.patient).toBe(p1.address);
    expect(r.items.map((i) => i.doctor)).toEqual([Z.address, W.address]);
    expect(r.items[0]).toMatchObject({
      name: "丙医生",
      hospital: al.hospitalB.address,
      hospitalName: "乙医院",
      department: "cardiology",
      predicted: 4.5,
      basis: "blend",
      ratingCount: 2, // p2's 5 and p3's 1
      averageRating: 3,
    });
    expect(r.items[1]).toMatchObject({ predicted: 1.5, basis: "blend", name: "丁医生" });
    const scoreB = await al.admin.request<{ score: number }>(
      "GET",
      `/hospitals/${al.hospitalB.address}/score`,
    );
    expect(r.items[0]!.hospitalScore).toBe(scoreB.score);
  });

  it("filters by department, with the department's unrated doctors by cold start", async () => {
    const r = await recommend(p1, "department=pediatrics");
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({
      doctor: P.address,
      basis: "cold-start",
      predicted: null,
      department: "pediatrics",
      ratingCount: 0,
      averageRating: null,
    });
    // without a department: the two predicted cardiologists, then P by cold start
    const all = await recommend(p1, "");
    expect(all.items.map((i) => i.doctor)).toEqual([Z.address, W.address, P.address]);
    expect((await recommend(p1, "department=cardiology&limit=1")).items.map((i) => i.doctor)).toEqual([
      Z.address,
    ]);
  });

  it("ranks by hospital score for a patient with no feedback (cold start)", async () => {
    const r = await recommend(p4, "department=cardiology");
    expect(r.coldStart).toBe(true);
    expect(r.items.map((i) => i.doctor)).toEqual([X.address, W.address, Y.address, Z.address]);
    expect(r.items.every((i) => i.basis === "cold-start" && i.predicted === null)).toBe(true);
    const scoreA = r.items[0]!.hospitalScore!;
    const scoreB = r.items[2]!.hospitalScore!;
    expect(scoreA).toBeGreaterThan(scoreB);
    // X: 5, 5, 1 → 11/3
    expect(r.items[0]).toMatchObject({ ratingCount: 3, averageRating: 3.67 });
  });

  it("lets a guardian ask for their ward", async () => {
    await delegateOnChain(stack, p4.wallet, p3.address);
    const r = await recommend(p3, `patient=${p4.address}&department=cardiology`);
    expect(r.patient).toBe(p4.address);
    expect(r.items.map((i) => i.doctor)).toEqual([X.address, W.address, Y.address, Z.address]);
  });

  it("refuses doctors, hospitals and other patients, audited; names a bad department or limit", async () => {
    await expectDenied(stack, () => recommend(X, `patient=${p1.address}`), X, "recommend.read");
    await expectDenied(
      stack,
      () => recommend(al.hospitalA, `patient=${p1.address}`),
      al.hospitalA,
      "recommend.read",
    );
    await expectDenied(stack, () => recommend(p2, `patient=${p1.address}`), p2, "recommend.read");
    expect(detailPaths(await expectApiError(recommend(p1, "department=astrology"), 400))).toEqual([
      "query.department",
    ]);
    expect(detailPaths(await expectApiError(recommend(p1, "limit=0"), 400))).toEqual(["query.limit"]);
    expect(detailPaths(await expectApiError(recommend(p1, "patient=0x12"), 400))).toEqual(["query.patient"]);
  });

  it("keeps the model until new feedback arrives, then rebuilds it", async () => {
    await recommend(p1, "department=cardiology");
    const builds = recommendationModelBuilds(stack.app.context);
    await recommend(p2, "department=cardiology");
    await recommend(p1, "department=pediatrics");
    expect(recommendationModelBuilds(stack.app.context)).toBe(builds);

    // p1 now rates Z: Z is no longer recommended to p1, and Z's count and mean include it (5, 1, 4 → 10/3).
    await rateVisit(stack, p1, al.hospitalB, Z, 4);
    const r = await recommend(p1, "department=cardiology");
    expect(recommendationModelBuilds(stack.app.context)).toBe(builds + 1);
    expect(r.items.map((i) => i.doctor)).toEqual([W.address]);
    const cold = await recommend(p4, "department=cardiology");
    expect(cold.items.find((i) => i.doctor === Z.address)).toMatchObject({
      ratingCount: 3,
      averageRating: 3.33,
    });
  });
});
