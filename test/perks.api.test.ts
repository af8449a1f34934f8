import { canonicalJson, careStepTypedData, randomNonce, visitIdOf, visitOpeningTypedData } from "@yyl/sdk";
import { keccak256, toUtf8Bytes, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  buildAlliance,
  detailPaths,
  expectApiError,
  writeRecord,
  type Alliance,
} from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { snapshotOf } from "./support/snapshot.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Perks applied in the care process: a patient's tier (from settled contribution points) puts their
// open visits first in a hospital's queue (`sort=priority:desc`), and lets step 5 (缴费拿药) claim
// reimbursement only when the tier carries it. The points are earned for real: records classified
// in one category, a category grant at level 2 to many grantees (any address may be a grantee, so
// random ones make the share large cheaply), rated by hospital B, settled.

interface Visit {
  visitId: string;
  patient: string;
  openedAt: number;
  finished: boolean;
  tier: number;
  perks: string[];
}
interface Timeline {
  visit: Visit;
  steps: { step: number; details: unknown }[];
  reimbursable: boolean;
}
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

let stack: Stack;
let a: Alliance;
const prisma = () => stack.app.context.prisma;

// Grantees of the category at level 2: hospital B plus EXTRA random addresses, N = EXTRA + 1 in all.
// Each record then has share 2·N, and rated value 3 / rarity 3 earns (by hand, tenths):
// 3·share + 4·30 + 3·25 = 6·N + 195. With N = 524: 3144 + 195 = 3339 per record, so
//   1 record → 3339  (tier 1 银 from 1000: queue priority),
//   2 records → 6678 (tier 2 金 from 5000: + appointment),
//   6 records → 20034 (tier 3 钻石 from 20000: + drug purchase, reimbursement).
const EXTRA = 523;
const PER_RECORD = 3339;
const CATEGORY = "慢病随访";

async function creditRecord(i: number): Promise<void> {
  const recordId = await writeRecord(a.doctorA, a.patientA, a.hospitalA, {
    title: `随访记录 ${i}`,
    chiefComplaint: "复诊",
    diagnosis: "高血压",
  });
  await a.hospitalA.request("POST", `/emr/records/${recordId}/category`, { category: CATEGORY });
  await a.hospitalB.request("POST", `/points/records/${recordId}/rating`, { valueLevel: 3, rarityLevel: 3 });
  await a.patientA.request("POST", `/points/records/${recordId}/settlement`, {});
}

async function openVisit(patient: ApiActor): Promise<Visit> {
  const openedAt = Date.now();
  const hospital = a.hospitalA.address;
  const nonce = randomNonce();
  const deadline = Date.now() + 600_000;
  const visitId = visitIdOf(patient.address, hospital, openedAt);
  const typed = visitOpeningTypedData(await patient.domain("CareProcess"), {
    visitId,
    patient: patient.address,
    hospital,
    nonce,
    deadline,
  });
  const signature = await patient.sign(typed);
  return patient.request<Visit>("POST", "/visits", { hospital, openedAt, nonce, deadline, signature });
}

async function recordStep(doctor: ApiActor, visitId: string, step: number, details: unknown) {
  const nonce = randomNonce();
  const deadline = Date.now() + 600_000;
  const contentHash = keccak256(toUtf8Bytes(canonicalJson(details)));
  const typed = careStepTypedData(await doctor.domain("CareProcess"), {
    visitId,
    step,
    contentHash,
    continues: false,
    nonce,
    deadline,
  });
  const body = { step, details, continues: false, nonce, deadline, signature: await doctor.sign(typed) };
  return doctor.request<Timeline>("POST", `/visits/${visitId}/steps`, body);
}

const queue = (who: ApiActor, query = "") =>
  who.request<Page<Visit>>("GET", `/visits?finished=false&sort=priority:desc${query}`);
const ids = (page: Page<Visit>) => page.items.map((v) => v.visitId);
const totalOfA = async () =>
  (await a.patientA.request<{ totalTenths: number }>("GET", `/points/patients/${a.patientA.address}`))
    .totalTenths;

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  // The category grants, sent in small parallel batches (each waits for the mirror).
  const grantees = [
    a.hospitalB.address,
    ...Array.from({ length: EXTRA }, () => Wallet.createRandom().address),
  ];
  for (let i = 0; i < grantees.length; i += 25) {
    await Promise.all(
      grantees
        .slice(i, i + 25)
        .map((grantee) => grantOnChain(stack, a.patientA.wallet, { category: CATEGORY, grantee, level: 2 })),
    );
  }
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

describe("perks in the care process", () => {
  /** Opened in this order: standard B1, priority A1, standard B2, priority A2. */
  let b1: Visit, a1: Visit, b2: Visit, a2: Visit;

  it("shows each visit's patient tier and perks, from settled points (none before any)", async () => {
    b1 = await openVisit(a.patientB);
    a1 = await openVisit(a.patientA);
    expect([b1.tier, b1.perks, a1.tier, a1.perks]).toEqual([0, [], 0, []]);

    await creditRecord(1);
    expect(await totalOfA()).toBe(PER_RECORD);
    b2 = await openVisit(a.patientB);
    a2 = await openVisit(a.patientA);
    expect([a2.tier, a2.perks]).toEqual([1, ["queuePriority"]]);
    expect([b2.tier, b2.perks]).toEqual([0, []]);
    // The opening times follow the opening order, so "first come" below is B1, A1, B2, A2.
    const times = [b1, a1, b2, a2].map((v) => v.openedAt);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(times).size).toBe(4);

    // An earlier visit shows the tier as of now, not as of its opening.
    const t = await a.patientA.request<Timeline>("GET", `/visits/${a1.visitId}`);
    expect([t.visit.tier, t.visit.perks, t.reimbursable]).toEqual([1, ["queuePriority"], false]);
  });

  it("puts priority patients first in the queue, each group first come first served, paged exactly", async () => {
    for (const who of [a.hospitalA, a.doctorA]) {
      const page = await queue(who);
      expect(ids(page)).toEqual([a1, a2, b1, b2].map((v) => v.visitId));
      expect(page.total).toBe(4);
    }
    // The window crosses the two groups: [A1, A2, B1] then [B2].
    expect(ids(await queue(a.hospitalA, "&pageSize=3"))).toEqual([a1.visitId, a2.visitId, b1.visitId]);
    const second = await queue(a.hospitalA, "&pageSize=3&page=2");
    expect([ids(second), second.total, second.page]).toEqual([[b2.visitId], 4, 2]);
    expect(ids(await queue(a.hospitalA, "&pageSize=1&page=3"))).toEqual([b1.visitId]);
    expect(ids(await queue(a.hospitalA, "&pageSize=2&page=3"))).toEqual([]);
    // priority:asc puts the groups the other way round; the other sorts are unchanged.
    const asc = await a.hospitalA.request<Page<Visit>>("GET", "/visits?sort=priority:asc");
    expect(ids(asc)).toEqual([b1, b2, a1, a2].map((v) => v.visitId));
    const byTime = await a.hospitalA.request<Page<Visit>>("GET", "/visits?sort=openedAt:asc");
    expect(ids(byTime)).toEqual([b1, a1, b2, a2].map((v) => v.visitId));
    // The scope still applies: hospital B has none; patient B sees only their own, in queue order.
    expect((await queue(a.hospitalB)).total).toBe(0);
    expect(ids(await queue(a.patientB))).toEqual([b1.visitId, b2.visitId]);
    const bad = await expectApiError(a.hospitalA.request("GET", "/visits?sort=priority:up"), 400);
    expect(detailPaths(bad)).toEqual(["query.sort"]);
  });

  it("refuses a reimbursement claim at step 5 unless the patient's tier carries it, recording nothing", async () => {
    for (const v of [b1, a1])
      for (const step of [1, 2, 3]) await recordStep(a.doctorA, v.visitId, step, { step });
    const snapshot = () =>
      snapshotOf(prisma().visit.findMany(), prisma().visitStep.count(), prisma().evidenceText.count());
    await creditRecord(2); // tier 2 (6678 = 2·3339): queue priority and appointment, still no reimbursement
    expect(await totalOfA()).toBe(2 * PER_RECORD);
    const before = await snapshot();
    for (const v of [b1, a1]) {
      const refused = await expectApiError(
        recordStep(a.doctorA, v.visitId, 5, { amount: 120, reimbursement: true }),
        400,
      );
      expect(detailPaths(refused)).toEqual(["details.reimbursement"]);
    }
    const notBoolean = await expectApiError(
      recordStep(a.doctorA, b1.visitId, 5, { amount: 120, reimbursement: "yes" }),
      400,
    );
    expect(detailPaths(notBoolean)).toEqual(["details.reimbursement"]);
    // A doctor of another hospital is refused before anything else, and the attempt is audited.
    await expectDenied(
      stack,
      () => recordStep(a.doctorB, a1.visitId, 5, { amount: 120, reimbursement: true }),
      a.doctorB,
      "visit.step",
    );
    expect(await snapshot()).toEqual(before);

    // Without the claim (false, or no flag at all) payment goes through and finishes the visit.
    const paid = await recordStep(a.doctorA, b1.visitId, 5, { amount: 120, reimbursement: false });
    expect([paid.visit.finished, paid.reimbursable, paid.steps.at(-1)!.details]).toEqual([
      true,
      false,
      { amount: 120, reimbursement: false },
    ]);
    expect(ids(await queue(a.hospitalA))).toEqual([a1.visitId, a2.visitId, b2.visitId]);
  });

  it("accepts the claim once the patient reaches the tier with reimbursement (钻石)", async () => {
    for (let i = 3; i <= 6; i++) await creditRecord(i);
    expect(await totalOfA()).toBe(6 * PER_RECORD); // 20034 ≥ 20000
    const before = await a.doctorA.request<Timeline>("GET", `/visits/${a1.visitId}`);
    expect([before.visit.tier, before.visit.perks, before.reimbursable]).toEqual([
      3,
      ["queuePriority", "appointment", "drugPurchase", "reimbursement"],
      true,
    ]);
    const paid = await recordStep(a.doctorA, a1.visitId, 5, { amount: 80, reimbursement: true });
    expect([paid.visit.finished, paid.steps.map((s) => s.step), paid.steps.at(-1)!.details]).toEqual([
      true,
      [1, 2, 3, 5],
      { amount: 80, reimbursement: true },
    ]);
    expect(ids(await queue(a.doctorA))).toEqual([a2.visitId, b2.visitId]);
  });
});
