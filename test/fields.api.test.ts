import { fieldLeavesOf, fieldsRootOf, verifyFieldProof } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { buildAlliance, expectApiError, expectBadField, type Alliance } from "./support/alliance.ts";
import { expectDenied } from "./support/audit.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Single-field disclosure: the patient takes one field of a record with its Merkle proof, hands it to
// a third party, who checks it against the mirror and EmrRegistry.verifyField without signing in.

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

const fieldsUrl = (recordId: string, version: number | string, path: string) =>
  `/emr/records/${recordId}/versions/${version}/fields?path=${encodeURIComponent(path)}`;
const verifyField = (d: Omit<Disclosure, "fieldsRoot"> | Record<string, unknown>) =>
  anonymous.request<FieldVerification>("POST", "/verify/fields", d);
const failedChecks = (v: FieldVerification) => v.checks.filter((c) => !c.ok).map((c) => c.name);

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  anonymous = a.newActor(); // never signs in
  bundle = (await a.patientA.request<{ bundle: unknown }>("GET", `/emr/records/${a.recordId}`)).bundle;
  // The diagnosis the alliance's record was written with ("心绞痛") sits in its Condition resource.
  const leaf = fieldLeavesOf(bundle).find((l) => l.value === "心绞痛" && l.path.includes("/code/"));
  diagnosisPath = leaf!.path;
});

afterAll(async () => {
  await stack?.close();
});

describe("GET /api/emr/records/:recordId/versions/:version/fields", () => {
  it("gives the patient one field with a proof that leads to the version's fields root", async () => {
    const d = await a.patientA.request<Disclosure>("GET", fieldsUrl(a.recordId, 1, diagnosisPath));
    expect(d).toMatchObject({ recordId: a.recordId, version: 1, path: diagnosisPath, value: "心绞痛" });
    expect(d.fieldsRoot).toBe(fieldsRootOf(bundle));
    expect(verifyFieldProof(d.fieldsRoot, d.path, d.value, d.proof)).toBe(true);
    // the proof carries hashes only: the other fields' values do not appear in it
    expect(JSON.stringify(d.proof)).not.toContain("胸闷");
    const audit = await stack.app.context.prisma.auditEntry.findMany({
      where: { actor: a.patientA.address, action: "emr.record.read", resource: `record:${a.recordId}` },
    });
    expect(audit.map((r) => r.detail)).toContain(`field proof of ${diagnosisPath} in version 1`);
  });

  it("the record's author gets the same disclosure", async () => {
    const byPatient = await a.patientA.request<Disclosure>("GET", fieldsUrl(a.recordId, 1, diagnosisPath));
    const byDoctor = await a.doctorA.request<Disclosure>("GET", fieldsUrl(a.recordId, 1, diagnosisPath));
    expect(byDoctor).toEqual(byPatient);
  });

  it("refuses a stranger and a doctor of another hospital without a grant (403, audited)", async () => {
    await expectDenied(
      stack,
      () => a.stranger.request("GET", fieldsUrl(a.recordId, 1, diagnosisPath)),
      a.stranger,
      "emr.record.read",
    );
    await expectDenied(
      stack,
      () => a.doctorB.request("GET", fieldsUrl(a.recordId, 1, diagnosisPath)),
      a.doctorB,
      "emr.record.read",
    );
    await expectApiError(anonymous.request("GET", fieldsUrl(a.recordId, 1, diagnosisPath)), 401);
  });

  it("answers 404 for a path that is not a field, an unknown version or record", async () => {
    // an object, not a primitive field
    await expectApiError(
      a.patientA.request("GET", fieldsUrl(a.recordId, 1, "/entry/0/resource")),
      404,
      "NOT_FOUND",
    );
    await expectApiError(
      a.patientA.request("GET", fieldsUrl(a.recordId, 1, "/no/such/field")),
      404,
      "NOT_FOUND",
    );
    await expectApiError(
      a.patientA.request("GET", fieldsUrl(a.recordId, 2, diagnosisPath)),
      404,
      "NOT_FOUND",
    );
    await expectApiError(
      a.patientA.request("GET", fieldsUrl(keccak256(toUtf8Bytes("nothing")), 1, diagnosisPath)),
      404,
      "NOT_FOUND",
    );
  });

  it("400 names the bad path, version or record id", async () => {
    await expectBadField(a.patientA.request("GET", fieldsUrl(a.recordId, 1, "entry/0")), "query.path");
    await expectBadField(a.patientA.request("GET", fieldsUrl(a.recordId, 1, "/a~2b")), "query.path");
    await expectBadField(
      a.patientA.request("GET", `/emr/records/${a.recordId}/versions/1/fields`),
      "query.path",
    );
    await expectBadField(
      a.patientA.request("GET", fieldsUrl(a.recordId, 0, diagnosisPath)),
      "params.version",
    );
    await expectBadField(a.patientA.request("GET", fieldsUrl("0x1234", 1, diagnosisPath)), "params.recordId");
  });
});

describe("POST /api/verify/fields", () => {
  let d: Disclosure;
  beforeAll(async () => {
    d = await a.patientA.request<Disclosure>("GET", fieldsUrl(a.recordId, 1, diagnosisPath));
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
      const one = await a.patientA.request<Disclosure>("GET", fieldsUrl(a.recordId, 1, path));
      const { recordId, version, value, proof } = one;
      expect((await verifyField({ recordId, version, path: one.path, value, proof })).ok, path).toBe(true);
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
