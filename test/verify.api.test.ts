import {
  grantIdOf,
  hospitalLevelTypedData,
  randomNonce,
  scoreAdjustmentTypedData,
  SCORE_REASON,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { loadConfig } from "../server/src/config.ts";
import { keepText } from "../server/src/evidence/texts.ts";
import { startBackgroundCheck } from "../server/src/verify/background.ts";
import {
  admitRegulator,
  buildAlliance,
  expectApiError,
  fieldsOf,
  type Alliance,
} from "./support/alliance.ts";
import { denials } from "./support/audit.ts";
import { domainOn, grantOnChain, sendAndMirror, visitOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Verification of the mirror against the chain: one record, visit, grant and hospital score on
// demand, and the run over the whole mirror. Mirror rows are tampered with directly in the database;
// each tampering must be named by the endpoint of its subject and by a run, and be gone once restored.

interface Check {
  name: string;
  ok: boolean;
  mirror: string | null;
  chain: string | null;
}
interface Verification {
  kind: string;
  id: string;
  ok: boolean;
  checks: Check[];
  checkedAt: number;
  blockNumber: number;
  chain: Record<string, unknown> | null;
}
interface Run {
  id: string;
  status: string;
  checked: number;
  mismatches: number;
  finishedAt: number | null;
  report: { kind: string; id: string; problems: { name: string }[] }[];
}

let stack: Stack;
let appStartedAt: number;
let al: Alliance;
let regulator: ApiActor;
let visitId: string;
let grantId: string;
const STEP_TEXT = "挂号：心内科门诊，张三";
const STEP_CHECK = "step 1 (registration)";

const ctx = () => stack.app.context;
const signing = () => ({ nonce: randomNonce(), deadline: Date.now() + 3_600_000 });
const failed = (v: Verification) => v.checks.filter((c) => !c.ok).map((c) => c.name);

/** Hospital A's score: level 三级 (800), then +50, +100, +100, which the contract clamps to 1000. */
async function scoreHospitalA(): Promise<void> {
  const h = al.hospitalA.address;
  const l = signing();
  const levelSig = await al.admin.sign(
    hospitalLevelTypedData(domainOn(stack, "AllianceRegistry"), { hospital: h, level: 3, ...l }),
  );
  await sendAndMirror(stack, "AllianceRegistry", "setHospitalLevel", [h, 3, l.nonce, l.deadline, levelSig]);
  await sendAndMirror(stack, "HospitalScore", "initialize", [h]);
  for (const delta of [50, 100, 100]) {
    const a = signing();
    const evidenceHash = keccak256(toUtf8Bytes(`rescue ${delta}`));
    const m = { hospital: h, reasonCode: SCORE_REASON.rescue, delta, evidenceHash, ...a };
    const sig = await al.admin.sign(scoreAdjustmentTypedData(domainOn(stack, "HospitalScore"), m));
    await sendAndMirror(stack, "HospitalScore", "adjust", [
      h,
      SCORE_REASON.rescue,
      delta,
      evidenceHash,
      a.nonce,
      a.deadline,
      sig,
    ]);
  }
}

beforeAll(async () => {
  appStartedAt = Date.now();
  stack = await startStack();
  al = await buildAlliance(stack);
  regulator = await admitRegulator(al);
  // Patient A's visit to hospital A with its first step signed by doctor A, sent by the hospital's operator.
  visitId = await visitOnChain(stack, {
    patient: al.patientA.wallet,
    hospital: al.hospitalA.address,
    doctor: al.doctorA.wallet,
    steps: [1],
    contentHashOf: () => keepText(ctx(), "care-step", STEP_TEXT, al.doctorA.address),
  });
  await grantOnChain(stack, al.patientA.wallet, {
    recordId: al.recordId,
    grantee: al.hospitalB.address,
    level: 1,
  });
  grantId = grantIdOf(al.patientA.address, al.recordId, al.hospitalB.address);
  await scoreHospitalA();
});

afterAll(async () => {
  await stack?.close();
});

describe("verification of one subject", () => {
  it("finds a record, a visit, a grant and a score in agreement with the chain", async () => {
    const record = await al.patientA.request<Verification>("GET", `/verify/records/${al.recordId}`);
    expect(record).toMatchObject({ kind: "record", id: al.recordId, ok: true });
    expect(failed(record)).toEqual([]);
    expect(record.blockNumber).toBeGreaterThan(0);
    expect(record.checks.map((c) => c.name)).toContain(
      "keccak256(stored ciphertext) = content hash on chain",
    );

    const visit = await al.patientA.request<Verification>("GET", `/verify/visits/${visitId}`);
    expect(visit).toMatchObject({
      kind: "visit",
      id: visitId,
      ok: true,
      chain: { patient: al.patientA.address, hospital: al.hospitalA.address, lastStep: 1 },
    });
    expect(
      visit.checks.find((c) => c.name === `${STEP_CHECK} content hash = keccak256(kept text)`),
    ).toMatchObject({ ok: true });

    for (const reader of [al.patientA, al.hospitalB, regulator]) {
      const grant = await reader.request<Verification>("GET", `/verify/grants/${grantId}`);
      expect(grant).toMatchObject({
        kind: "grant",
        id: grantId,
        ok: true,
        chain: { level: 1, revoked: false, version: 1 },
      });
    }

    const score = await al.admin.request<Verification>(
      "GET",
      `/verify/hospitals/${al.hospitalA.address}/score`,
    );
    expect(score).toMatchObject({ kind: "score", ok: true, chain: { score: 1000, level: 3 } });
    const recomputed = score.checks.find((c) => c.name.startsWith("score recomputed from history"))!;
    expect(recomputed).toMatchObject({ ok: true, mirror: "1000", chain: "1000" });

    const audited = await ctx().prisma.auditEntry.findMany({
      where: { actor: al.patientA.address, outcome: "allowed", resource: `visit:${visitId}` },
    });
    expect(audited.map((a) => a.detail)).toContain("verified");
  });

  it("refuses callers the subject's policy does not admit, and records each attempt", async () => {
    const cases: [ApiActor, string, string][] = [
      [al.patientB, `/verify/records/${al.recordId}`, "emr.record.verify"],
      [al.stranger, `/verify/records/${al.recordId}`, "emr.record.verify"],
      [al.admin, `/verify/visits/${visitId}`, "visit.read"],
      [al.patientB, `/verify/visits/${visitId}`, "visit.read"],
      [al.doctorB, `/verify/visits/${visitId}`, "visit.read"],
      [al.hospitalB, `/verify/visits/${visitId}`, "visit.read"],
      [al.admin, `/verify/grants/${grantId}`, "consent.read"],
      [al.doctorA, `/verify/grants/${grantId}`, "consent.read"],
      [al.patientB, `/verify/grants/${grantId}`, "consent.read"],
      [al.patientA, "/verify/report", "verify.report"],
      [al.hospitalA, "/verify/runs", "verify.report"],
    ];
    for (const [actor, path, action] of cases) {
      const before = await denials(stack, actor.address, action);
      const err = await expectApiError(actor.request("GET", path), 403, "FORBIDDEN");
      expect(err.body.error!.details).toBeUndefined();
      expect(await denials(stack, actor.address, action), `${action} by ${actor.address}`).toBe(before + 1);
    }
    // A doctor of the visit's hospital and the hospital itself may check it; anyone signed in may check a score.
    for (const reader of [al.doctorA, al.hospitalA])
      expect((await reader.request<Verification>("GET", `/verify/visits/${visitId}`)).ok).toBe(true);
    expect(
      (await al.stranger.request<Verification>("GET", `/verify/hospitals/${al.hospitalA.address}/score`)).ok,
    ).toBe(true);

    // The app's own background run, shortly after start, must not land between the two counts.
    await appsFirstRun();
    const runsBefore = await ctx().prisma.verificationRun.count();
    for (const actor of [regulator, al.patientA])
      await expectApiError(actor.request("POST", "/verify/runs"), 403);
    expect(await denials(stack, regulator.address, "verify.run")).toBe(1);
    expect(await ctx().prisma.verificationRun.count()).toBe(runsBefore);
  });

  it("answers 404 for unknown subjects and 400 naming a malformed id", async () => {
    const unknown = `0x${"ab".repeat(32)}`;
    await expectApiError(al.admin.request("GET", `/verify/records/${unknown}`), 404);
    await expectApiError(regulator.request("GET", `/verify/visits/${unknown}`), 404);
    await expectApiError(regulator.request("GET", `/verify/grants/${unknown}`), 404);
    await expectApiError(al.admin.request("GET", `/verify/hospitals/${al.hospitalB.address}/score`), 404);
    const bad = await expectApiError(al.admin.request("GET", "/verify/records/0x1234"), 400);
    expect(fieldsOf(bad)).toEqual(["params.recordId"]);
    const badAddress = await expectApiError(al.admin.request("GET", "/verify/hospitals/0xnope/score"), 400);
    expect(fieldsOf(badAddress)).toEqual(["params.address"]);
    const badQuery = await expectApiError(al.admin.request("GET", "/verify/runs?status=fine"), 400);
    expect(fieldsOf(badQuery)).toEqual(["query.status"]);
  });
});

describe("tampered mirror rows", () => {
  it("are named by each endpoint and by a run of the whole mirror, and clear once restored", async () => {
    const { prisma } = ctx();
    const record = await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: al.recordId } });
    const grant = await prisma.consentGrant.findUniqueOrThrow({ where: { grantId } });
    const score = await prisma.hospitalScore.findUniqueOrThrow({ where: { hospital: al.hospitalA.address } });
    const text = await prisma.evidenceText.findFirstOrThrow({ where: { text: STEP_TEXT } });
    const restore = async () => {
      await prisma.emrRecord.update({
        where: { recordId: record.recordId },
        data: { contentHash: record.contentHash },
      });
      await prisma.consentGrant.update({ where: { grantId }, data: { level: grant.level } });
      await prisma.hospitalScore.update({
        where: { hospital: score.hospital },
        data: { score: score.score },
      });
      await prisma.evidenceText.update({ where: { hash: text.hash }, data: { text: text.text } });
    };
    try {
      await prisma.emrRecord.update({
        where: { recordId: record.recordId },
        data: { contentHash: keccak256(toUtf8Bytes("forged")) },
      });
      await prisma.consentGrant.update({ where: { grantId }, data: { level: 2 } });
      await prisma.hospitalScore.update({ where: { hospital: score.hospital }, data: { score: 999 } });
      await prisma.evidenceText.update({ where: { hash: text.hash }, data: { text: `${STEP_TEXT}（改）` } });

      const r = await al.patientA.request<Verification>("GET", `/verify/records/${al.recordId}`);
      expect(r.ok).toBe(false);
      expect(failed(r)).toEqual(["mirror content hash"]);
      expect(r.checks.find((c) => c.name === "mirror content hash")).toMatchObject({
        mirror: keccak256(toUtf8Bytes("forged")),
        chain: record.contentHash,
      });
      // the level is wrong in the mirror, and so is the Consent the API would serve for it
      expect(failed(await al.patientA.request<Verification>("GET", `/verify/grants/${grantId}`))).toEqual([
        "mirror level",
        "served Consent = Consent rendered from the chain (hash)",
      ]);
      const s = await regulator.request<Verification>(
        "GET",
        `/verify/hospitals/${al.hospitalA.address}/score`,
      );
      expect(failed(s)).toEqual(["mirror score"]);
      expect(s.checks.find((c) => c.name === "mirror score")).toMatchObject({ mirror: "999", chain: "1000" });
      expect(failed(await regulator.request<Verification>("GET", `/verify/visits/${visitId}`))).toEqual([
        `${STEP_CHECK} content hash = keccak256(kept text)`,
      ]);
      const audited = await prisma.auditEntry.findFirstOrThrow({
        where: { actor: al.patientA.address, resource: `record:${al.recordId}` },
        orderBy: { id: "desc" },
      });
      expect(audited.detail).toBe("MISMATCH: mirror content hash");

      const run = await al.admin.request<Run>("POST", "/verify/runs");
      expect(run).toMatchObject({ status: "mismatch", mismatches: 4 });
      expect(run.checked).toBeGreaterThanOrEqual(4);
      const named = Object.fromEntries(
        run.report.map((e) => [`${e.kind}:${e.id}`, e.problems.map((p) => p.name)]),
      );
      expect(named).toEqual({
        [`record:${al.recordId}`]: ["mirror content hash"],
        [`grant:${grantId}`]: ["mirror level", "served Consent = Consent rendered from the chain (hash)"],
        [`score:${al.hospitalA.address}`]: ["mirror score"],
        [`visit:${visitId}`]: [`${STEP_CHECK} content hash = keccak256(kept text)`],
      });
      const report = await regulator.request<Run>("GET", "/verify/report");
      expect(report).toMatchObject({ id: run.id, status: "mismatch", mismatches: 4 });
    } finally {
      await restore();
    }

    for (const path of [
      `/verify/records/${al.recordId}`,
      `/verify/grants/${grantId}`,
      `/verify/visits/${visitId}`,
      `/verify/hospitals/${al.hospitalA.address}/score`,
    ]) {
      expect((await regulator.request<Verification>("GET", path)).ok, path).toBe(true);
    }

    // who signed a grant is only in its event: a forged signer shows only in the Consent check
    const version = await prisma.consentGrantVersion.findFirstOrThrow({
      where: { grantId },
      orderBy: { version: "desc" },
    });
    await prisma.consentGrantVersion.update({
      where: { grantId_version: { grantId, version: version.version } },
      data: { signer: al.stranger.address },
    });
    try {
      expect(failed(await al.patientA.request<Verification>("GET", `/verify/grants/${grantId}`))).toEqual([
        "served Consent = Consent rendered from the chain (hash)",
      ]);
    } finally {
      await prisma.consentGrantVersion.update({
        where: { grantId_version: { grantId, version: version.version } },
        data: { signer: version.signer },
      });
    }
    const clean = await al.admin.request<Run>("POST", "/verify/runs");
    expect(clean).toMatchObject({ status: "ok", mismatches: 0, report: [] });
    expect(clean.checked).toBe(await mirrorSize());
    expect(await regulator.request<Run>("GET", "/verify/report")).toMatchObject({
      id: clean.id,
      status: "ok",
    });
  });
});

/** Waits until the run the app starts by itself shortly after start has finished, and returns it. */
async function appsFirstRun() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runs = await ctx().prisma.verificationRun.findMany({
      where: { startedAt: { gte: BigInt(appStartedAt) } },
      orderBy: { id: "asc" },
    });
    const asked = await ctx().prisma.auditEntry.findMany({
      where: { action: "verify.run", outcome: "allowed" },
      select: { resource: true },
    });
    const first = runs.find((r) => !asked.some((a) => a.resource === `verification-run:${r.id}`));
    if (first?.finishedAt) return first;
    if (Date.now() > deadline) throw new Error("the app ran no background check after start");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Subjects a run checks: every record, grant, visit and score in the mirror. */
async function mirrorSize(): Promise<number> {
  const { prisma } = ctx();
  const counts = await Promise.all([
    prisma.emrRecord.count(),
    prisma.consentGrant.count(),
    prisma.visit.count(),
    prisma.hospitalScore.count(),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

describe("runs", () => {
  it("are listed newest first, filtered and paginated", async () => {
    const all = await regulator.request<{ items: Run[]; total: number }>("GET", "/verify/runs?pageSize=100");
    expect(all.total).toBeGreaterThanOrEqual(2);
    const ids = all.items.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const mismatched = await regulator.request<{ items: Run[]; total: number }>(
      "GET",
      "/verify/runs?status=mismatch",
    );
    expect(mismatched.items.length).toBeGreaterThanOrEqual(1);
    expect(mismatched.items.every((r) => r.status === "mismatch")).toBe(true);
    const second = await regulator.request<{ items: Run[]; page: number }>(
      "GET",
      "/verify/runs?pageSize=1&page=2&sort=startedAt:desc",
    );
    expect(second.items.map((r) => r.id)).toEqual([all.items[1]!.id]);
  });

  it("run in the background shortly after start and then every interval, one at a time, until stopped", async () => {
    const { prisma } = ctx();
    // The app's own background check ran once shortly after start; its next run is ten minutes away.
    await appsFirstRun();
    const t0 = BigInt(Date.now());
    const background = startBackgroundCheck({ ...ctx(), config: { ...ctx().config, verifyIntervalMs: 700 } });
    const finished = () =>
      prisma.verificationRun.findMany({
        where: { startedAt: { gte: t0 }, finishedAt: { not: null } },
        orderBy: { id: "asc" },
      });
    const deadline = Date.now() + 30_000;
    while ((await finished()).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    await background.stop();
    const runs = await prisma.verificationRun.findMany({
      where: { startedAt: { gte: t0 } },
      orderBy: { id: "asc" },
    });
    expect(runs.filter((r) => r.finishedAt !== null).length).toBeGreaterThanOrEqual(2);
    // Never two at once: each run starts after the previous one finished.
    for (let i = 1; i < runs.length; i++)
      expect(runs[i]!.startedAt).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!);
    expect(runs.every((r) => r.finishedAt !== null && r.status !== "running")).toBe(true);
    expect(runs.filter((r) => r.status === "ok").length).toBeGreaterThanOrEqual(2);
    const count = runs.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await prisma.verificationRun.count({ where: { startedAt: { gte: t0 } } })).toBe(count);
  });

  it("do not run in the background when VERIFY_INTERVAL_MS is 0", async () => {
    expect(loadConfig({}).verifyIntervalMs).toBe(600_000);
    const config = loadConfig({ VERIFY_INTERVAL_MS: "0" });
    expect(config.verifyIntervalMs).toBe(0);
    expect(() => loadConfig({ VERIFY_INTERVAL_MS: "-5" })).toThrow(/VERIFY_INTERVAL_MS/);
    const t0 = BigInt(Date.now());
    const background = startBackgroundCheck({ ...ctx(), config });
    await new Promise((r) => setTimeout(r, 1_500));
    await background.stop();
    expect(await ctx().prisma.verificationRun.count({ where: { startedAt: { gte: t0 } } })).toBe(0);
  });
});
