import {
  DELEGATION_SCOPE,
  canonicalJson,
  careStepTypedData,
  randomNonce,
  visitIdOf,
  visitOpeningTypedData,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, detailPaths, expectApiError, type Alliance } from "./support/alliance.ts";
import { denials } from "./support/audit.ts";
import { delegateOnChain } from "./support/chain-acts.ts";
import { snapshotOf } from "./support/snapshot.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The care process through the REST API: a patient opens a visit at a hospital, its doctors record
// each step in order (挂号 → 取号 → 门诊 → 化验 → 缴费拿药 → 住院 → 出院), and the timeline shows them.

type Json = Record<string, unknown>;
interface Visit {
  visitId: string;
  patient: string;
  hospital: string;
  lastStep: number;
  finished: boolean;
  openedAt: number;
  finishedAt: number | null;
  patientName: string | null;
  hospitalName: string | null;
}
interface Step {
  step: number;
  zh: string;
  en: string;
  doctor: string;
  doctorName: string | null;
  details: unknown;
  detailsText: string | null;
  contentHash: string;
  txHash: string;
  at: number;
}
interface Timeline {
  visit: Visit;
  steps: Step[];
  next: { step: number; zh: string }[];
}
interface Page<T> {
  items: T[];
  total: number;
}

let stack: Stack;
let a: Alliance;
/** A second doctor of hospital A, and patient A's guardian. */
let nurse: ApiActor, guardian: ApiActor;

const prisma = () => stack.app.context.prisma;
const snapshot = () =>
  snapshotOf(prisma().visit.findMany(), prisma().visitStep.count(), prisma().evidenceText.count());

async function openingBody(
  signer: ApiActor,
  patient: string,
  hospital: string,
  openedAt = Date.now(),
  deadline = Date.now() + 600_000,
): Promise<Json> {
  const nonce = randomNonce();
  const visitId = visitIdOf(patient, hospital, openedAt);
  const signature = await signer.sign(
    visitOpeningTypedData(await signer.domain("CareProcess"), {
      visitId,
      patient,
      hospital,
      nonce,
      deadline,
    }),
  );
  return { hospital, openedAt, nonce, deadline, signature };
}

const openVisit = async (patient: ApiActor, hospital: ApiActor, openedAt?: number) =>
  patient.request<Visit>(
    "POST",
    "/visits",
    await openingBody(patient, patient.address, hospital.address, openedAt),
  );

async function stepBody(
  signer: ApiActor,
  visitId: string,
  step: number,
  details: unknown,
  opts: { continues?: boolean; nonce?: string; deadline?: number } = {},
): Promise<Json> {
  const nonce = opts.nonce ?? randomNonce();
  const deadline = opts.deadline ?? Date.now() + 600_000;
  const continues = opts.continues ?? false;
  const contentHash = keccak256(toUtf8Bytes(canonicalJson(details)));
  const typed = careStepTypedData(await signer.domain("CareProcess"), {
    visitId,
    step,
    contentHash,
    continues,
    nonce,
    deadline,
  });
  return { step, details, continues, nonce, deadline, signature: await signer.sign(typed) };
}

const recordStep = async (
  doctor: ApiActor,
  visitId: string,
  step: number,
  details: unknown,
  opts: { continues?: boolean; nonce?: string } = {},
) =>
  doctor.request<Timeline>(
    "POST",
    `/visits/${visitId}/steps`,
    await stepBody(doctor, visitId, step, details, opts),
  );

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  nurse = a.newActor();
  guardian = a.newActor();
  for (const x of [nurse, guardian]) await x.signIn();
  await nurse.apply("doctor", { name: "甲护士长", department: "护理部" }, a.hospitalA.address);
  await a.hospitalA.registerDoctor(nurse.address);
  await a.admin.decide(nurse.address, "approve");
  await delegateOnChain(stack, a.patientA.wallet, guardian.address, DELEGATION_SCOPE.grant);
});

afterAll(async () => {
  await stack?.close();
});

describe("a full visit", () => {
  let visitId: string;
  const plan: [ApiActor, number, unknown, boolean][] = [];

  it("goes 挂号 → 取号 → 门诊 → 化验 → 缴费拿药 (continues) → 住院 → 出院, each step signed by a doctor of the hospital", async () => {
    const openedAt = Date.now();
    const opened = await openVisit(a.patientA, a.hospitalA, openedAt);
    visitId = opened.visitId;
    expect(opened).toMatchObject({
      visitId: visitIdOf(a.patientA.address, a.hospitalA.address, openedAt),
      patient: a.patientA.address,
      hospital: a.hospitalA.address,
      patientName: "张三",
      hospitalName: "甲医院",
      lastStep: 0,
      finished: false,
      finishedAt: null,
    });
    plan.push(
      [nurse, 1, { department: "心内科", fee: 20 }, false],
      [nurse, 2, "3号诊室 第12号", false],
      [a.doctorA, 3, { complaint: "胸闷", orders: ["心电图", "血常规"] }, false],
      [a.doctorA, 4, { tests: ["心电图", "血常规"], result: "ST段压低" }, false],
      [nurse, 5, { amount: 356.5, drugs: ["阿司匹林"] }, true],
      [a.doctorA, 6, { ward: "心内科病房 12床" }, false],
      [a.doctorA, 7, { summary: "好转出院" }, false],
    );
    let timeline: Timeline | undefined;
    for (const [doctor, step, details, continues] of plan) {
      timeline = await recordStep(doctor, visitId, step, details, { continues });
      expect(timeline.visit.lastStep).toBe(step);
      expect(timeline.visit.finished).toBe(step === 7);
      if (step === 5) expect(timeline.next.map((n) => n.step)).toEqual([6, 7]);
    }
    expect(timeline!.next).toEqual([]);
    expect(timeline!.visit.finishedAt).toBeGreaterThan(0);
    const [, , lastStep, finished] = await stack.app.context.chain.contracts.CareProcess.call<unknown[]>(
      "visitOf",
      [visitId],
    );
    expect([Number(lastStep), finished]).toEqual([7, true]);
  });

  it("shows the timeline in order with names, doctors, details and hashes that match the chain", async () => {
    const t = await a.patientA.request<Timeline>("GET", `/visits/${visitId}`);
    expect(t.steps.map((s) => s.zh)).toEqual(["挂号", "取号", "门诊", "化验", "缴费拿药", "住院", "出院"]);
    expect(t.steps.map((s) => [s.step, s.doctor, s.details])).toEqual(
      plan.map(([d, step, details]) => [step, d.address, details]),
    );
    expect(t.steps[0]).toMatchObject({ en: "registration", doctorName: "甲护士长" });
    expect(t.steps[2]).toMatchObject({ doctorName: "甲医生" });
    for (const s of t.steps) {
      expect(s.detailsText).toBe(canonicalJson(s.details));
      const [doctor, contentHash] = await stack.app.context.chain.contracts.CareProcess.call<unknown[]>(
        "stepOf",
        [visitId, s.step],
      );
      expect([String(doctor), String(contentHash).toLowerCase()]).toEqual([
        s.doctor,
        keccak256(toUtf8Bytes(s.detailsText!)),
      ]);
      expect(s.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    }
    const ats = t.steps.map((s) => s.at);
    expect([...ats].sort((x, y) => x - y)).toEqual(ats);
    for (const reader of [a.doctorA, nurse, a.hospitalA, guardian]) {
      expect((await reader.request<Timeline>("GET", `/visits/${visitId}`)).steps).toHaveLength(7);
    }
    const reads = await prisma().auditEntry.count({
      where: { action: "visit.read", resource: `visit:${visitId}`, outcome: "allowed" },
    });
    expect(reads).toBe(5);
  });

  it("keeps the timeline from other hospitals, their doctors and other patients", async () => {
    for (const who of [a.doctorB, a.hospitalB, a.patientB, a.stranger]) {
      await expectApiError(who.request("GET", `/visits/${visitId}`), 403, "FORBIDDEN");
      expect(await denials(stack, who, "visit.read")).toBe(1);
    }
    await expectApiError(a.patientA.request("GET", `/visits/0x${"ab".repeat(32)}`), 404, "NOT_FOUND");
    const bad = await expectApiError(a.patientA.request("GET", "/visits/0x12"), 400);
    expect(detailPaths(bad)).toEqual(["params.visitId"]);
  });
});

describe("order of steps", () => {
  it("may skip the lab test and finish at payment and dispensing", async () => {
    const v = await openVisit(a.patientA, a.hospitalA);
    for (const step of [1, 2, 3]) await recordStep(a.doctorA, v.visitId, step, { note: `step ${step}` });
    const t = await recordStep(a.doctorA, v.visitId, 5, { amount: 48 });
    expect(t.steps.map((s) => s.step)).toEqual([1, 2, 3, 5]);
    expect(t.visit).toMatchObject({ lastStep: 5, finished: true });
    expect(t.next).toEqual([]);
    await expectApiError(recordStep(a.doctorA, v.visitId, 6, { ward: "x" }), 409, "VISIT_FINISHED");
  });

  it("refuses a step out of order, a bad step and a reused nonce, changing nothing", async () => {
    const v = await openVisit(a.patientA, a.hospitalA);
    const before = await snapshot();
    const early = await expectApiError(recordStep(a.doctorA, v.visitId, 2, "取号"), 409, "STEP_OUT_OF_ORDER");
    expect(early.body.error!.message).toContain("1 registration");
    const badStep = await expectApiError(
      a.doctorA.request("POST", `/visits/${v.visitId}/steps`, await stepBody(a.doctorA, v.visitId, 8, "x")),
      400,
    );
    expect(detailPaths(badStep)).toEqual(["step"]);
    const badContinues = await expectApiError(
      recordStep(a.doctorA, v.visitId, 1, "挂号", { continues: true }),
      400,
    );
    expect(detailPaths(badContinues)).toEqual(["continues"]);
    const noDetails = await stepBody(a.doctorA, v.visitId, 1, "挂号");
    delete noDetails.details;
    const missing = await expectApiError(
      a.doctorA.request("POST", `/visits/${v.visitId}/steps`, noDetails),
      400,
    );
    expect(detailPaths(missing)).toEqual(["details"]);
    expect(await snapshot()).toEqual(before);

    const nonce = randomNonce();
    await recordStep(a.doctorA, v.visitId, 1, "挂号", { nonce });
    await expectApiError(recordStep(a.doctorA, v.visitId, 3, "门诊"), 409, "STEP_OUT_OF_ORDER");
    await expectApiError(recordStep(a.doctorA, v.visitId, 1, "再挂号"), 409, "STEP_OUT_OF_ORDER");
    const after1 = await snapshot();
    // The same nonce again: only the chain knows it was used.
    const reused = await expectApiError(
      recordStep(a.doctorA, v.visitId, 2, "取号", { nonce }),
      422,
      "SignatureNonceUsed",
    );
    expect(reused.body.error!.message.toLowerCase()).toContain(a.doctorA.address.toLowerCase());
    expect(await snapshot()).toEqual(after1);
    expect(
      await prisma().evidenceText.findUnique({
        where: { hash: keccak256(toUtf8Bytes(canonicalJson("取号"))) },
      }),
    ).toBeNull();
  });

  it("refuses doctors of another hospital and anyone who is not a doctor of it, recording the attempt", async () => {
    const v = await openVisit(a.patientA, a.hospitalA);
    const before = await snapshot();
    for (const who of [a.doctorB, a.hospitalA, a.patientA, a.admin]) {
      await expectApiError(recordStep(who, v.visitId, 1, "挂号"), 403, "FORBIDDEN");
      expect(await denials(stack, who, "visit.step")).toBe(1);
    }
    await expectApiError(recordStep(a.doctorA, `0x${"cd".repeat(32)}`, 1, "挂号"), 404);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a step signed by someone else than the calling doctor, or past its deadline", async () => {
    const v = await openVisit(a.patientA, a.hospitalA);
    const before = await snapshot();
    const byNurse = await stepBody(nurse, v.visitId, 1, "挂号");
    const forged = await expectApiError(
      a.doctorA.request("POST", `/visits/${v.visitId}/steps`, byNurse),
      400,
      "VALIDATION_FAILED",
    );
    expect(detailPaths(forged)).toEqual(["signature"]);
    const late = await stepBody(a.doctorA, v.visitId, 1, "挂号", { deadline: Date.now() - 1 });
    const expired = await expectApiError(a.doctorA.request("POST", `/visits/${v.visitId}/steps`, late), 400);
    expect(detailPaths(expired)).toEqual(["deadline"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("opening a visit", () => {
  it("is the patient's act: other roles, other signers, bad hospitals and a reused id are refused", async () => {
    const before = await snapshot();
    for (const who of [a.doctorA, a.hospitalA, a.stranger]) {
      await expectApiError(
        who.request("POST", "/visits", await openingBody(who, who.address, a.hospitalA.address)),
        403,
        "FORBIDDEN",
      );
      expect(await denials(stack, who, "visit.open")).toBe(1);
    }
    /** The fields named by the 400 that patient A's opening with `body` gets. */
    const refusedFields = async (body: Json) =>
      detailPaths(await expectApiError(a.patientA.request("POST", "/visits", body), 400));
    const forged = await openingBody(a.patientB, a.patientA.address, a.hospitalA.address);
    expect(await refusedFields(forged)).toEqual(["signature"]);
    const notHospital = await openingBody(a.patientA, a.patientA.address, a.doctorA.address);
    expect(await refusedFields(notHospital)).toEqual(["hospital"]);
    const noTime = await openingBody(a.patientA, a.patientA.address, a.hospitalA.address);
    delete noTime.openedAt;
    expect(await refusedFields(noTime)).toEqual(["openedAt"]);
    expect(await snapshot()).toEqual(before);

    const openedAt = Date.now();
    await openVisit(a.patientB, a.hospitalB, openedAt);
    await expectApiError(openVisit(a.patientB, a.hospitalB, openedAt), 409, "VISIT_EXISTS");
  });
});

describe("lists", () => {
  const list = (who: ApiActor, q = "") => who.request<Page<Visit>>("GET", `/visits${q}`);

  it("shows each caller the visits they may see, with filters and sorting", async () => {
    const all = await prisma().visit.findMany();
    const ofA = all
      .filter((v) => v.patient === a.patientA.address)
      .map((v) => v.visitId)
      .sort();
    const ids = (p: Page<Visit>) => p.items.map((v) => v.visitId).sort();
    expect(ofA.length).toBe(5);
    expect(ids(await list(a.patientA, "?pageSize=100"))).toEqual(ofA);
    expect(ids(await list(guardian, "?pageSize=100"))).toEqual(ofA);
    expect(ids(await list(a.doctorA, "?pageSize=100"))).toEqual(ofA);
    expect(ids(await list(a.hospitalA, "?pageSize=100"))).toEqual(ofA);
    const atB = await list(a.doctorB);
    expect(atB.items.map((v) => [v.patient, v.hospital])).toEqual([
      [a.patientB.address, a.hospitalB.address],
    ]);
    expect((await list(a.patientB)).total).toBe(1);
    expect((await list(a.stranger)).total).toBe(0);

    expect((await list(a.patientA, "?finished=true")).items.map((v) => v.finished)).toEqual([true, true]);
    expect((await list(a.patientA, "?finished=false")).total).toBe(3);
    expect((await list(a.hospitalA, `?patient=${a.patientB.address}`)).total).toBe(0);
    expect((await list(a.patientA, `?hospital=${a.hospitalB.address}`)).total).toBe(0);
    const asc = await list(a.patientA, "?sort=openedAt:asc&pageSize=100");
    const openedAts = asc.items.map((v) => v.openedAt);
    expect([...openedAts].sort((x, y) => x - y)).toEqual(openedAts);
    const desc = await list(a.patientA, "?sort=openedAt:desc&pageSize=2&page=1");
    expect(desc).toMatchObject({ total: 5 });
    expect(desc.items.map((v) => v.visitId)).toEqual(
      [...asc.items]
        .reverse()
        .slice(0, 2)
        .map((v) => v.visitId),
    );
    const firstOpened = openedAts[0]!;
    expect((await list(a.patientA, `?to=${firstOpened + 1}`)).items.map((v) => v.visitId)).toEqual([
      asc.items[0]!.visitId,
    ]);
    expect((await list(a.patientA, `?from=${firstOpened + 1}`)).total).toBe(4);

    const bad = await expectApiError(list(a.patientA, "?finished=yes&sort=step:asc"), 400);
    expect(detailPaths(bad).sort()).toEqual(["query.finished", "query.sort"]);
    await expectApiError(list(a.admin), 403, "FORBIDDEN");
    expect(await denials(stack, a.admin, "visit.list")).toBe(1);
  });
});
