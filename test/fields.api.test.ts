import { fieldLeavesOf, fieldProofOf, fieldsRootOf, verifyFieldProof } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, expectApiError, expectBadField, type Alliance } from "./support/alliance.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Single-field disclosure: the patient's client takes one field of the opened record with its Merkle
// proof and hands it to a third party, who checks it against the mirror and EmrRegistry.verifyField
// without signing in.

interface Disclosure {
  recordId: string;
  version: number;
  path: string;
  value: string | number | boolean | null;
  proof: string[];
  fieldsRoot: string;
}
interface FieldVerification {
  ok: boolean;
  checks: { name: string; ok: boolean; mirror: string | null; chain: string | null }[];
}

const MIRROR_CHECK = "proof leads to the mirror's fields root";
const CHAIN_CHECK = "EmrRegistry.verifyField";

let stack: Stack;
let a: Alliance;
let anonymous: ApiActor;
let bundle: unknown;
let diagnosisPath: string;

const verifyField = (d: Omit<Disclosure, "fieldsRoot"> | Record<string, unknown>) =>
  anonymous.request<FieldVerification>("POST", "/verify/fields", d);
const failedChecks = (v: FieldVerification) => v.checks.filter((c) => !c.ok).map((c) => c.name);

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  anonymous = a.newActor(); // never signs in
  bundle = (await a.patientA.readRecord(a.recordId)).bundle;
  // The diagnosis the alliance's record was written with ("心绞痛") sits in its Condition resource.
  const leaf = fieldLeavesOf(bundle).find((l) => l.value === "心绞痛" && l.path.includes("/code/"));
  diagnosisPath = leaf!.path;
});

afterAll(async () => {
  await stack?.close();
});

/** The disclosure the reader's client makes from the opened record (the server never sees the content). */
async function disclose(reader: ApiActor, path: string): Promise<Disclosure> {
  const opened = await reader.readRecord<{ record: { fieldsRoot: string } }>(a.recordId, 1);
  const { value, proof } = fieldProofOf(opened.bundle, path);
  return { recordId: a.recordId, version: 1, path, value, proof, fieldsRoot: opened.record.fieldsRoot };
}

describe("a field disclosed by the reader's client", () => {
  it("carries a proof that leads to the version's fields root, and hashes only", async () => {
    const d = await disclose(a.patientA, diagnosisPath);
    expect(d.value).toBe("心绞痛");
    expect(d.fieldsRoot).toBe(fieldsRootOf(bundle));
    expect(verifyFieldProof(d.fieldsRoot, d.path, d.value, d.proof)).toBe(true);
    expect(JSON.stringify(d.proof)).not.toContain("胸闷");
    // The record's author, opening the same version with their own key, discloses the same.
    expect(await disclose(a.doctorA, diagnosisPath)).toEqual(d);
  });
});

describe("POST /api/verify/fields", () => {
  let d: Disclosure;
  beforeAll(async () => {
    d = await disclose(a.patientA, diagnosisPath);
  });
  const disclosed = () => ({
    recordId: d.recordId,
    version: d.version,
    path: d.path,
    value: d.value,
    proof: d.proof,
  });

  it("a third party without an account verifies the disclosed field: mirror and chain agree", async () => {
    const v = await verifyField(disclosed());
    expect(v.ok).toBe(true);
    expect(v.checks.map((c) => [c.name, c.ok])).toEqual([
      [MIRROR_CHECK, true],
      [CHAIN_CHECK, true],
    ]);
    expect(v.checks[0]).toMatchObject({ mirror: d.fieldsRoot, chain: d.fieldsRoot });
    const rows = await stack.app.context.prisma.auditEntry.findMany({
      where: { actor: null, action: "emr.field.verify", resource: `record:${a.recordId}` },
    });
    expect(
      rows.some((r) => r.outcome === "allowed" && r.detail === `version 1 field ${diagnosisPath}: ok`),
    ).toBe(true);
  });

  it("every field of the record verifies", async () => {
    const paths = fieldLeavesOf(bundle).map((l) => l.path);
    for (const path of paths) {
      const { value, proof } = fieldProofOf(bundle, path);
      expect((await verifyField({ recordId: a.recordId, version: 1, path, value, proof })).ok, path).toBe(true);
    }
  });

  it("a changed value, a wrong path or a tampered proof fails both checks", async () => {
    const cases = [
      { ...disclosed(), value: "稳定型心绞痛" },
      { ...disclosed(), value: null },
      { ...disclosed(), path: d.path.replace(/\/code\//, "/text/") },
      { ...disclosed(), proof: [keccak256(toUtf8Bytes("forged")), ...d.proof.slice(1)] },
      { ...disclosed(), proof: d.proof.slice(0, -1) },
    ];
    for (const c of cases) {
      const v = await verifyField(c);
      expect(v.ok, JSON.stringify(c)).toBe(false);
      expect(failedChecks(v)).toEqual([MIRROR_CHECK, CHAIN_CHECK]);
      expect(v.checks[1]).toMatchObject({ mirror: "false", chain: "false" });
    }
  });

  it("a mirror that disagrees with the chain fails only the mirror check", async () => {
    const prisma = stack.app.context.prisma;
    const key = { recordId_version: { recordId: d.recordId, version: 1 } };
    const forged = keccak256(toUtf8Bytes("forged root"));
    await prisma.emrRecordVersion.update({ where: key, data: { fieldsRoot: forged } });
    try {
      const v = await verifyField(disclosed());
      expect(v.ok).toBe(false);
      expect(failedChecks(v)).toEqual([MIRROR_CHECK]);
      expect(v.checks[0]).toMatchObject({ mirror: forged, chain: d.fieldsRoot });
      expect(v.checks[1]).toMatchObject({ ok: true, mirror: "false", chain: "true" });
    } finally {
      await prisma.emrRecordVersion.update({ where: key, data: { fieldsRoot: d.fieldsRoot } });
    }
  });

  it("a proof does not pass for another record", async () => {
    const other = await buildOtherRecord();
    const v = await verifyField({ ...disclosed(), recordId: other });
    expect(v.ok).toBe(false);
    expect(failedChecks(v)).toEqual([MIRROR_CHECK, CHAIN_CHECK]);
  });

  it("404 for an unknown record or version, 400 naming the bad field", async () => {
    await expectApiError(verifyField({ ...disclosed(), version: 2 }), 404, "NOT_FOUND");
    await expectApiError(
      verifyField({ ...disclosed(), recordId: keccak256(toUtf8Bytes("nothing")) }),
      404,
      "NOT_FOUND",
    );
    await expectBadField(verifyField({ ...disclosed(), value: { code: "x" } }), "value");
    const noValue: Record<string, unknown> = { ...disclosed() };
    delete noValue.value;
    await expectBadField(verifyField(noValue as never), "value");
    await expectBadField(verifyField({ ...disclosed(), proof: ["0x12"] }), "proof.0");
    await expectBadField(verifyField({ ...disclosed(), path: "no-slash" }), "path");
    await expectBadField(verifyField({ ...disclosed(), version: 0 }), "version");
    await expectBadField(verifyField({ ...disclosed(), recordId: "0x12" }), "recordId");
  });
});

/** A second record of patient A by doctor A (another version-1 fields root). */
async function buildOtherRecord(): Promise<string> {
  const { writeRecord } = await import("./support/alliance.ts");
  return writeRecord(a.doctorA, a.patientA, a.hospitalA, {
    title: "复诊记录",
    chiefComplaint: "头痛",
    diagnosis: "偏头痛",
  });
}
