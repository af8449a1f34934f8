import { feedbackTypedData, hospitalLevelTypedData, scoreAdjustmentTypedData } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, detailPaths, expectApiError, type Alliance } from "./support/alliance.ts";
import { deniedActions } from "./support/audit.ts";
import { delegateOnChain, visitOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Hospital levels, doctors' certifications and the evaluation score through REST: level → initial
// score → admins' adjustments with evidence → patients' feedback on finished visits, with the ranking
// and the history showing each step with the numbers the contract's rules give.

let stack: Stack;
let al: Alliance;
const hash = (s: string) => keccak256(toUtf8Bytes(s));

beforeAll(async () => {
  stack = await startStack();
  al = await buildAlliance(stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const prisma = () => stack.app.context.prisma;

// ---- signed acts ---------------------------------------------------------------------------------

async function setLevel(signer: ApiActor, sender: ApiActor, hospital: string, level: number) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = hospitalLevelTypedData(await signer.domain("AllianceRegistry"), {
    hospital,
    level,
    nonce,
    deadline,
  });
  return sender.request<Record<string, unknown>>("POST", `/members/${hospital}/level`, {
    level,
    nonce,
    deadline,
    signature: await signer.sign(typed),
  });
}

async function adjust(
  signer: ApiActor,
  sender: ApiActor,
  hospital: string,
  reasonCode: number,
  delta: number,
  evidence: string,
) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = scoreAdjustmentTypedData(await signer.domain("HospitalScore"), {
    hospital,
    reasonCode,
    delta,
    evidenceHash: hash(evidence),
    nonce,
    deadline,
  });
  return sender.request<{ score: ScoreView; event: EventView }>(
    "POST",
    `/hospitals/${hospital}/score/adjustments`,
    {
      reasonCode,
      delta,
      evidence,
      nonce,
      deadline,
      signature: await signer.sign(typed),
    },
  );
}

async function feedback(
  signer: ApiActor,
  sender: ApiActor,
  visitId: string,
  rating: number,
  comment?: string,
) {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = feedbackTypedData(await signer.domain("HospitalScore"), {
    visitId,
    rating,
    commentHash: comment ? hash(comment) : null,
    nonce,
    deadline,
  });
  return sender.request<{ score: ScoreView; event: EventView }>("POST", "/hospitals/feedback", {
    visitId,
    rating,
    comment,
    nonce,
    deadline,
    signature: await signer.sign(typed),
  });
}

/** A visit opened and stepped on chain directly (the /visits routes are not the subject here):
 *  registration, ticket, consultation, then payment and dispensing, which finishes it. */
const careVisit = (patient: ApiActor, hospital: ApiActor, doctor: ApiActor, finish: boolean) =>
  visitOnChain(stack, {
    patient: patient.wallet,
    hospital: hospital.address,
    doctor: doctor.wallet,
    steps: finish ? [1, 2, 3, 5] : [1, 2],
    contentHashOf: (step, visitId) => hash(`step ${step} of ${visitId}`),
  });

interface ScoreView {
  hospital: string;
  score: number | null;
  level: number | null;
  initialized: boolean;
  initialScore: number | null;
  feedbackCount: number;
  averageRating: number | null;
  rank: number | null;
}
interface EventView {
  kind: string;
  reasonCode: number | null;
  reason: { code: number; zh: string } | null;
  delta: number;
  score: number;
  evidence: string | null;
  evidenceHash: string | null;
  actor: string | null;
  visitId: string | null;
  rating: number | null;
  at: number;
  txHash: string | null;
}

interface CertificationView {
  status: string;
  certified: boolean;
  current: { department: string; credential: string | null; revoked: boolean } | null;
  history: { event: string; credential: string | null; reason: string | null; reasonHash: string | null }[];
}

const scoreRows = () => prisma().scoreEvent.count();

// ---- tests ---------------------------------------------------------------------------------------

describe("hospital levels", () => {
  it("lets an alliance admin set a hospital's level with a signed HospitalLevel", async () => {
    const set = await setLevel(al.admin, al.admin, al.hospitalA.address, 3);
    expect(set).toMatchObject({
      hospital: al.hospitalA.address,
      name: "甲医院",
      level: 3,
      levelName: { zh: "三级" },
      previousLevel: null,
    });
    expect(set.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(
      (await prisma().member.findUniqueOrThrow({ where: { address: al.hospitalA.address } })).level,
    ).toBe(3);
    expect(Number(await stack.app.context.chain.registry.call("hospitalLevel", [al.hospitalA.address]))).toBe(
      3,
    );
  });

  it("refuses anyone else, bad levels, foreign signatures and unknown hospitals, changing nothing", async () => {
    await expectApiError(setLevel(al.hospitalB, al.hospitalB, al.hospitalB.address, 3), 403, "FORBIDDEN");
    await expectApiError(setLevel(al.admin, al.doctorA, al.hospitalB.address, 3), 403, "FORBIDDEN");
    expect(await deniedActions(stack, al.hospitalB)).toContain("member.set-level");
    expect(await deniedActions(stack, al.doctorA)).toContain("member.set-level");

    const bad = await expectApiError(
      setLevel(al.admin, al.admin, al.hospitalB.address, 4),
      400,
      "VALIDATION_FAILED",
    );
    expect(detailPaths(bad)).toEqual(["level"]);
    const foreign = await expectApiError(setLevel(al.hospitalB, al.admin, al.hospitalB.address, 2), 400);
    expect(detailPaths(foreign)).toEqual(["signature"]);
    await expectApiError(setLevel(al.admin, al.admin, al.stranger.address, 2), 404);
    await expectApiError(setLevel(al.admin, al.admin, al.doctorA.address, 2), 404);
    expect(
      (await prisma().member.findUniqueOrThrow({ where: { address: al.hospitalB.address } })).level,
    ).toBeNull();
  });
});

describe("doctor certification", () => {
  const credential = "执业医师资格证 110000000001；主治医师";
  const path = () => `/members/${al.doctorA.address}/certification`;

  it("lets a hospital certify its own doctor, with the credential kept off chain", async () => {
    const expiresAt = Date.now() + 365 * 86_400_000;
    const c = await al.hospitalA.request<CertificationView>("POST", path(), { credential, expiresAt });
    expect(c).toMatchObject({
      doctor: al.doctorA.address,
      doctorName: "甲医生",
      hospital: al.hospitalA.address,
      status: "valid",
      certified: true,
    });
    expect(c.current).toMatchObject({
      certifier: al.hospitalA.address,
      credentialHash: hash(credential),
      credential,
      departmentName: "心内科",
      expiresAt,
      revoked: false,
    });
    expect(c.current!.department).toBe(hash("心内科"));
    expect(c.history).toHaveLength(1);
    expect(c.history[0]).toMatchObject({
      event: "certified",
      credential,
      expiresAt,
      certifier: al.hospitalA.address,
    });
    expect(await stack.app.context.chain.registry.call("isCertified", [al.doctorA.address])).toBe(true);

    for (const reader of [al.doctorA, al.hospitalA, al.admin]) {
      expect(await reader.request<{ status: string }>("GET", path())).toMatchObject({
        status: "valid",
        current: { credential },
      });
    }
  });

  it("refuses other hospitals, doctors, admins and bad input, changing nothing", async () => {
    const before = await prisma().doctorCertification.findUniqueOrThrow({
      where: { doctor: al.doctorA.address },
    });
    const expiresAt = Date.now() + 86_400_000;
    for (const who of [al.hospitalB, al.doctorA, al.admin]) {
      await expectApiError(
        who.request("POST", path(), { credential: "forged", expiresAt }),
        403,
        "FORBIDDEN",
      );
      expect(await deniedActions(stack, who)).toContain("member.certify-doctor");
    }
    await expectApiError(al.hospitalB.request("POST", `${path()}/revocation`, { reason: "x" }), 403);
    for (const who of [al.hospitalB, al.doctorB, al.patientA])
      await expectApiError(who.request("GET", path()), 403);
    expect(await deniedActions(stack, al.patientA)).toContain("member.read");

    const past = await expectApiError(
      al.hospitalA.request("POST", path(), { credential: "x", expiresAt: Date.now() - 1000 }),
      400,
    );
    expect(detailPaths(past)).toEqual(["expiresAt"]);
    const missing = await expectApiError(al.hospitalA.request("POST", path(), { expiresAt }), 400);
    expect(detailPaths(missing)).toEqual(["credential"]);
    await expectApiError(
      al.hospitalA.request("POST", `/members/${al.stranger.address}/certification`, {
        credential: "x",
        expiresAt,
      }),
      404,
    );
    await expectApiError(al.admin.request("GET", `/members/${al.patientA.address}/certification`), 404);
    expect(
      await prisma().doctorCertification.findUniqueOrThrow({ where: { doctor: al.doctorA.address } }),
    ).toEqual(before);
  });

  it("revokes with a reason, refuses a second revocation, and keeps the history", async () => {
    const r = await al.hospitalA.request<CertificationView>("POST", `${path()}/revocation`, {
      reason: "执业注册已注销",
    });
    expect(r).toMatchObject({
      status: "revoked",
      certified: false,
      current: { revoked: true, revokeReason: "执业注册已注销" },
    });
    expect(r.history.map((h) => h.event)).toEqual(["revoked", "certified"]);
    expect(r.history[0]).toMatchObject({ reason: "执业注册已注销", reasonHash: hash("执业注册已注销") });
    expect(await stack.app.context.chain.registry.call("isCertified", [al.doctorA.address])).toBe(false);
    await expectApiError(al.hospitalA.request("POST", `${path()}/revocation`, { reason: "again" }), 409);

    const again = await al.hospitalA.request<CertificationView>("POST", path(), {
      credential: "重新注册",
      expiresAt: Date.now() + 86_400_000,
    });
    expect(again).toMatchObject({
      status: "valid",
      current: { credential: "重新注册", revoked: false, revokeReason: null },
    });
    expect(again.history.map((h) => h.event)).toEqual(["certified", "revoked", "certified"]);
  });
});

describe("evaluation score", () => {
  let finished: string;
  let finishedB: string;
  let unfinished: string;

  it("initializes only a hospital with a level, once, by an admin", async () => {
    const noLevel = await expectApiError(
      al.admin.request("POST", `/hospitals/${al.hospitalB.address}/score/initialization`, {}),
      409,
      "LEVEL_NOT_SET",
    );
    expect(noLevel.body.error!.message).toContain("level");
    await expectApiError(
      al.hospitalA.request("POST", `/hospitals/${al.hospitalA.address}/score/initialization`, {}),
      403,
    );
    expect(await deniedActions(stack, al.hospitalA)).toContain("score.initialize");
    await expectApiError(
      al.admin.request("POST", `/hospitals/${al.patientA.address}/score/initialization`, {}),
      404,
    );
    expect(await prisma().hospitalScore.count()).toBe(0);

    const a = await al.admin.request<ScoreView>(
      "POST",
      `/hospitals/${al.hospitalA.address}/score/initialization`,
      {},
    );
    expect(a).toMatchObject({
      initialized: true,
      score: 800,
      level: 3,
      initialScore: 800,
      feedbackCount: 0,
      averageRating: null,
      rank: 1,
    });
    await expectApiError(
      al.admin.request("POST", `/hospitals/${al.hospitalA.address}/score/initialization`, {}),
      409,
      "SCORE_ALREADY_INITIALIZED",
    );

    await setLevel(al.admin, al.admin, al.hospitalB.address, 1);
    const b = await al.admin.request<ScoreView>(
      "POST",
      `/hospitals/${al.hospitalB.address}/score/initialization`,
      {},
    );
    expect(b).toMatchObject({ score: 600, level: 1, initialScore: 600, rank: 2 });
  });

  it("applies admins' signed adjustments with evidence, clamped to 0–1000", async () => {
    const rescue = await adjust(al.admin, al.admin, al.hospitalA.address, 2, 50, "成功救治罕见病患者一例");
    expect(rescue.score.score).toBe(850);
    expect(rescue.event).toMatchObject({
      kind: "adjustment",
      reasonCode: 2,
      reason: { code: 2, zh: "疑难杂症救治" },
      delta: 50,
      score: 850,
      evidence: "成功救治罕见病患者一例",
      evidenceHash: hash("成功救治罕见病患者一例"),
      actor: al.admin.address,
    });
    expect((await adjust(al.admin, al.admin, al.hospitalA.address, 3, 100, "诊前服务优秀")).score.score).toBe(
      950,
    );
    // 950 + 100 is clamped to 1000; the event keeps the delta as signed.
    const clamped = await adjust(al.admin, al.admin, al.hospitalA.address, 4, 100, "诊后随访优秀");
    expect(clamped.event).toMatchObject({ delta: 100, score: 1000 });
    expect((await adjust(al.admin, al.admin, al.hospitalA.address, 1, -30, "误诊一例")).score.score).toBe(
      970,
    );
    const onChain = await stack.app.context.chain.contracts.HospitalScore.call<{ score: bigint }>("scoreOf", [
      al.hospitalA.address,
    ]);
    expect(Number(onChain.score)).toBe(970);
  });

  it("refuses bad adjustments naming the field, and other signers or roles, changing nothing", async () => {
    const rows = await scoreRows();
    const a = al.hospitalA.address;
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 1, 10, "误诊"), 400))).toEqual([
      "delta",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 2, -10, "救治"), 400))).toEqual([
      "delta",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 3, 0, "服务"), 400))).toEqual([
      "delta",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 4, 101, "服务"), 400))).toEqual([
      "delta",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 5, 10, "服务"), 400))).toEqual([
      "reasonCode",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.admin, al.admin, a, 3, 10, "  "), 400))).toEqual([
      "evidence",
    ]);
    expect(detailPaths(await expectApiError(adjust(al.hospitalB, al.admin, a, 3, 10, "服务"), 400))).toEqual([
      "signature",
    ]);
    await expectApiError(adjust(al.admin, al.hospitalA, a, 3, 10, "自评"), 403);
    await expectApiError(adjust(al.admin, al.patientA, a, 3, 10, "服务"), 403);
    expect(await deniedActions(stack, al.hospitalA)).toContain("score.adjust");
    expect(await deniedActions(stack, al.patientA)).toContain("score.adjust");
    await expectApiError(adjust(al.admin, al.admin, al.stranger.address, 3, 10, "服务"), 404);
    expect(await scoreRows()).toBe(rows);
    expect((await al.admin.request<ScoreView>("GET", `/hospitals/${a}/score`)).score).toBe(970);
  });

  it("takes a patient's feedback on their finished visit only", async () => {
    finished = await careVisit(al.patientA, al.hospitalA, al.doctorA, true);
    unfinished = await careVisit(al.patientA, al.hospitalA, al.doctorA, false);
    const rows = await scoreRows();

    await expectApiError(feedback(al.patientB, al.patientB, finished, 1), 403, "FORBIDDEN");
    expect(await deniedActions(stack, al.patientB)).toContain("score.feedback");
    await expectApiError(feedback(al.patientA, al.doctorA, finished, 5), 403);
    await expectApiError(feedback(al.patientA, al.patientA, unfinished, 5), 409, "VISIT_NOT_FINISHED");
    const badRating = await expectApiError(feedback(al.patientA, al.patientA, finished, 6), 400);
    expect(detailPaths(badRating)).toEqual(["rating"]);
    expect(detailPaths(await expectApiError(feedback(al.patientB, al.patientA, finished, 5), 400))).toEqual([
      "signature",
    ]);
    await expectApiError(feedback(al.patientA, al.patientA, `0x${"12".repeat(32)}`, 5), 404);
    expect(await scoreRows()).toBe(rows);

    const given = await feedback(al.patientA, al.patientA, finished, 5, "医生很耐心");
    // rating 5 moves the score by 5 − 3.
    expect(given.score).toMatchObject({ score: 972, feedbackCount: 1, averageRating: 5 });
    expect(given.event).toMatchObject({
      kind: "feedback",
      delta: 2,
      score: 972,
      rating: 5,
      visitId: finished,
      actor: al.patientA.address,
      evidence: "医生很耐心",
    });
    await expectApiError(feedback(al.patientA, al.patientA, finished, 4), 409, "FEEDBACK_EXISTS");
  });

  it("takes feedback handed in by a guardian with the patient's signature", async () => {
    finishedB = await careVisit(al.patientB, al.hospitalB, al.doctorB, true);
    const guardian = al.newActor();
    await guardian.signIn();
    await expectApiError(feedback(al.patientB, guardian, finishedB, 1), 403);
    await delegateOnChain(stack, al.patientB.wallet, guardian.address);
    const given = await feedback(al.patientB, guardian, finishedB, 1);
    // rating 1 moves the score by 1 − 3.
    expect(given.score).toMatchObject({
      hospital: al.hospitalB.address,
      score: 598,
      feedbackCount: 1,
      averageRating: 1,
    });
    expect(given.event).toMatchObject({ delta: -2, rating: 1, actor: al.patientB.address, evidence: null });
  });

  it("ranks hospitals by score, with level, name, feedback and rating", async () => {
    type Ranking = {
      items: {
        rank: number;
        hospital: string;
        name: string;
        score: number;
        level: number;
        feedbackCount: number;
        averageRating: number;
      }[];
      total: number;
    };
    const r = await al.patientA.request<Ranking>("GET", "/hospitals/ranking");
    expect(r.total).toBe(2);
    expect(r.items).toEqual([
      {
        rank: 1,
        hospital: al.hospitalA.address,
        name: "甲医院",
        score: 972,
        level: 3,
        levelName: { zh: "三级", en: "level 3" },
        feedbackCount: 1,
        averageRating: 5,
      },
      {
        rank: 2,
        hospital: al.hospitalB.address,
        name: "乙医院",
        score: 598,
        level: 1,
        levelName: { zh: "一级", en: "level 1" },
        feedbackCount: 1,
        averageRating: 1,
      },
    ]);
    const asc = await al.stranger.request<Ranking>("GET", "/hospitals/ranking?sort=score:asc");
    expect(asc.items.map((i) => [i.rank, i.hospital])).toEqual([
      [2, al.hospitalB.address],
      [1, al.hospitalA.address],
    ]);
    const second = await al.doctorB.request<Ranking>(
      "GET",
      "/hospitals/ranking?sort=feedback:desc&pageSize=1&page=2",
    );
    expect(second).toMatchObject({ total: 2, items: [{ hospital: al.hospitalB.address }] });
    expect(
      detailPaths(await expectApiError(al.admin.request("GET", "/hospitals/ranking?sort=name:asc"), 400)),
    ).toEqual(["query.sort"]);
    await expectApiError(
      new ApiActor(stack.baseUrl, al.stranger.wallet).request("GET", "/hospitals/ranking"),
      401,
    );

    const one = await al.hospitalB.request<ScoreView>("GET", `/hospitals/${al.hospitalA.address}/score`);
    expect(one).toMatchObject({
      score: 972,
      level: 3,
      initialScore: 800,
      feedbackCount: 1,
      averageRating: 5,
      rank: 1,
    });
    await expectApiError(al.admin.request("GET", `/hospitals/${al.doctorA.address}/score`), 404);
  });

  it("shows each step in the history, filtered, sorted and paginated", async () => {
    type History = { items: EventView[]; total: number };
    const base = `/hospitals/${al.hospitalA.address}/score/history`;
    const all = await al.admin.request<History>("GET", `${base}?sort=at:asc`);
    expect(all.total).toBe(6);
    expect(all.items.map((e) => [e.kind, e.reasonCode, e.delta, e.score])).toEqual([
      ["initial", null, 800, 800],
      ["adjustment", 2, 50, 850],
      ["adjustment", 3, 100, 950],
      ["adjustment", 4, 100, 1000],
      ["adjustment", 1, -30, 970],
      ["feedback", null, 2, 972],
    ]);
    expect(all.items.map((e) => e.evidence)).toEqual([
      null,
      "成功救治罕见病患者一例",
      "诊前服务优秀",
      "诊后随访优秀",
      "误诊一例",
      "医生很耐心",
    ]);
    for (const e of all.items) expect(e.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(all.items[5]).toMatchObject({ visitId: finished, rating: 5, actor: al.patientA.address });

    const desc = await al.patientB.request<History>("GET", `${base}?pageSize=2`);
    expect(desc).toMatchObject({ total: 6 });
    expect(desc.items.map((e) => e.score)).toEqual([972, 970]);
    const adjustments = await al.patientB.request<History>("GET", `${base}?kind=adjustment&sort=at:asc`);
    expect(adjustments.items.map((e) => e.delta)).toEqual([50, 100, 100, -30]);
    const to = all.items[2]!.at;
    const early = await al.patientB.request<History>("GET", `${base}?to=${to}&sort=at:asc`);
    expect(early.items.map((e) => e.score)).toEqual(all.items.filter((e) => e.at < to).map((e) => e.score));
    expect(early.total).toBeGreaterThan(0);
    const late = await al.patientB.request<History>("GET", `${base}?from=${to}&sort=at:asc`);
    expect(late.total + early.total).toBe(6);

    expect(detailPaths(await expectApiError(al.admin.request("GET", `${base}?kind=bonus`), 400))).toEqual([
      "query.kind",
    ]);
    await expectApiError(al.admin.request("GET", `/hospitals/${al.stranger.address}/score/history`), 404);
    const b = await al.admin.request<History>(
      "GET",
      `/hospitals/${al.hospitalB.address}/score/history?sort=at:asc`,
    );
    expect(b.items.map((e) => [e.kind, e.delta, e.score])).toEqual([
      ["initial", 600, 600],
      ["feedback", -2, 598],
    ]);
    expect(b.items[1]!.visitId).toBe(finishedB);
  });
});
