import {
  abeDecrypt,
  deserializeAbeCiphertext,
  deserializeAbeUserKey,
  grantIdOf,
  makeEmrBundle,
  NoKeyForReaderError,
  openSealedForMember,
  policyGranteeOf,
  publicKeyOf,
  unwrapContentKey,
  type AbeCiphertextJson,
  type RecordKeyWrap,
  type SealedForMember,
  type VersionReaders,
} from "@yyl/sdk";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../server/src/config.ts";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import { grantRecord, grantRecordToPolicy, revokeGrant } from "../scripts/lib/api-acts.ts";
import { buildAlliance, expectApiError, expectBadField, type Alliance } from "./support/alliance.ts";
import { denials } from "./support/audit.ts";
import { grantOnChain } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// End-to-end record encryption through the REST API: readers' keys learned at sign-in, attribute keys
// issued by the alliance, a record shared with a CP-ABE policy that one doctor satisfies and another
// does not, and revocation: the next version's fresh content key is wrapped for the remaining readers only.

const DAY = 86_400_000;
const POLICY = "role:doctor AND dept:cardiology";

let stack: Stack;
let a: Alliance;
/** A certified orthopaedist of hospital A: a doctor, but not one the policy names. */
let orthopaedist: ApiActor;

const prisma = () => stack.app.context.prisma;

async function certify(hospital: ApiActor, doctor: ApiActor): Promise<void> {
  await hospital.request("POST", `/members/${doctor.address}/certification`, {
    credential: "执业医师资格证",
    expiresAt: Date.now() + 365 * DAY,
  });
}

/** Every wrap stored for one version of the record (what a copy of the database would hold). */
async function storedWraps(recordId: string, version: number): Promise<RecordKeyWrap[]> {
  const { storagePointer } = await prisma().emrRecordVersion.findUniqueOrThrow({
    where: { recordId_version: { recordId, version } },
  });
  const rows = await prisma().emrKeyWrap.findMany({ where: { storagePointer } });
  return rows.map((r) =>
    r.kind === "abe"
      ? { kind: "abe", policy: r.policy!, wrapped: JSON.parse(r.wrapped) as AbeCiphertextJson }
      : { kind: "ecies", reader: r.reader, wrapped: JSON.parse(r.wrapped) },
  );
}

/** Tries every stored wrap of a version with all the keys `who` holds. */
async function keysOf(who: ApiActor) {
  return { address: who.address, privateKey: who.wallet.privateKey, abeUserKey: await who.attributeKey(true) };
}

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  orthopaedist = a.newActor();
  await orthopaedist.signIn();
  await orthopaedist.apply("doctor", { name: "丙医生", department: "骨科" }, a.hospitalA.address);
  await a.hospitalA.registerDoctor(orthopaedist.address);
  await a.admin.decide(orthopaedist.address, "approve");
  await certify(a.hospitalB, a.doctorB);
  await certify(a.hospitalA, orthopaedist);
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe("keys", () => {
  it("learns each member's public key from their sign-in signature", async () => {
    for (const who of [a.patientA, a.doctorB, a.hospitalB]) {
      const row = await prisma().accountKey.findUniqueOrThrow({ where: { address: who.address } });
      expect(row.publicKey).toBe(publicKeyOf(who.wallet.privateKey));
    }
  });

  it("issues attribute keys for what the alliance attests, sealed to the member's own key", async () => {
    const issued = await a.doctorB.request<{ attributes: string[]; sealed: SealedForMember }>(
      "GET",
      "/keys/attribute-key",
    );
    const hospitalB = a.hospitalB.address.toLowerCase();
    expect(issued.attributes).toEqual(["certified:yes", "dept:cardiology", `hospital:${hospitalB}`, "role:doctor"]);
    const aad = `yyl/abe-user-key:${a.doctorB.address}`;
    const key = (await openSealedForMember(a.doctorB.wallet.privateKey, issued.sealed, aad)) as {
      attributes: { attribute: string }[];
    };
    expect(key.attributes.map((x) => x.attribute).sort()).toEqual(issued.attributes);
    await expect(openSealedForMember(a.doctorA.wallet.privateKey, issued.sealed, aad)).rejects.toThrow();
    // The same attributes get the same key; patients are attested nothing.
    expect(await a.doctorB.request("GET", "/keys/attribute-key")).toEqual(issued);
    expect((await orthopaedist.attributeKey())!.attributes.map((x) => x.attribute)).toContain("dept:orthopedics");
    await expectApiError(a.patientA.request("GET", "/keys/attribute-key"), 404, "NO_ATTRIBUTE_KEY");
  });
});

describe("sharing with a policy", () => {
  it("lets a doctor whose attributes satisfy the policy read, decided on chain", async () => {
    const granted = await grantRecordToPolicy(a.patientA, a.recordId, POLICY, "view", Date.now() + DAY);
    expect((granted.policies as Record<string, string>)[policyGranteeOf(POLICY)]).toBe(POLICY);
    const read = await a.doctorB.readRecord(a.recordId);
    expect(JSON.stringify(read.bundle)).toContain("心绞痛");
    const requests = await a.patientA.request<{ items: { requester: string; granted: boolean }[] }>(
      "GET",
      `/consent/access-requests?requester=${a.doctorB.address}`,
    );
    expect(requests.items[0]).toMatchObject({ requester: a.doctorB.address, granted: true });
  });

  it("opens the same way from the command line (npm run open-record), with the doctor's attribute key", async () => {
    const { stdout } = await promisify(execFile)(path.join(repoRoot, "node_modules/.bin/tsx"), [
      path.join(repoRoot, "scripts/open-record.ts"),
      "--url",
      stack.baseUrl,
      "--key",
      a.doctorB.wallet.privateKey,
      "--record",
      a.recordId,
    ]);
    expect((JSON.parse(stdout) as { resourceType: string }).resourceType).toBe("Bundle");
    expect(stdout).toContain("心绞痛");
  });

  it("keeps a doctor who does not satisfy it out, by the chain and by the key", async () => {
    await expectApiError(orthopaedist.request("GET", `/emr/records/${a.recordId}`), 403, "FORBIDDEN");
    const wraps = await storedWraps(a.recordId, 1);
    const policyWrap = wraps.find((w) => w.kind === "abe" && w.policy === POLICY)!;
    expect(policyWrap).toBeDefined();
    // Even holding every stored wrap, their attribute key opens none of them.
    await expect(unwrapContentKey(wraps, a.recordId, 1, await keysOf(orthopaedist))).rejects.toBeInstanceOf(
      NoKeyForReaderError,
    );
    const theirKey = deserializeAbeUserKey((await orthopaedist.attributeKey())!);
    await expect(
      abeDecrypt(null, theirKey, deserializeAbeCiphertext(policyWrap.wrapped as AbeCiphertextJson)),
    ).rejects.toThrow(/do not satisfy/);
  });

  it("refuses a bad policy and a grantee that is not the policy's account, storing nothing", async () => {
    const before = await prisma().policyGrantee.count();
    const grant = (policy: string, grantee: string) =>
      grantRecord(a.patientA, a.recordId, grantee, "view", Date.now() + DAY, policy);
    await expectBadField(grant("role:doctor AND", policyGranteeOf("role:doctor")), "policy");
    await expectBadField(grant("role:doctor", policyGranteeOf("role:nurse")), "grantee");
    expect(await prisma().policyGrantee.count()).toBe(before);
  });
});

describe("revocation", () => {
  let hospitalGrant: string;

  it("gives a new grantee the keys of the versions already written, through the patient's client only", async () => {
    await grantRecord(a.patientA, a.recordId, a.hospitalB.address, "view", Date.now() + DAY);
    hospitalGrant = grantIdOf(a.patientA.address, a.recordId, a.hospitalB.address);
    expect(JSON.stringify((await a.hospitalB.readRecord(a.recordId)).bundle)).toContain("心绞痛");

    const readers = await a.patientA.request<VersionReaders>("GET", `/keys/grantee-readers?grantee=${a.hospitalB.address}`);
    expect(readers.policies).toEqual([`hospital:${a.hospitalB.address.toLowerCase()}`]);
    const before = await prisma().emrKeyWrap.count();
    const wrap = { version: 1, ...(await storedWraps(a.recordId, 1))[0]! };
    // Someone other than the patient, or a wrap for someone who is no reader: refused, nothing stored.
    await expectApiError(a.doctorA.request("POST", `/emr/records/${a.recordId}/keys`, { wraps: [wrap] }), 403);
    expect(await denials(stack, a.doctorA, "consent.grant")).toBe(1);
    const outsider = { ...wrap, kind: "ecies", reader: a.stranger.address };
    await expectBadField(a.patientA.request("POST", `/emr/records/${a.recordId}/keys`, { wraps: [outsider] }), "wraps.0.reader");
    await expectBadField(
      a.patientA.request("POST", `/emr/records/${a.recordId}/keys`, { wraps: [{ ...wrap, version: 7 }] }),
      "wraps.0.version",
    );
    expect(await prisma().emrKeyWrap.count()).toBe(before);
  });

  it("writes the next version for the remaining readers only; the revoked cannot open it", async () => {
    const policyGrant = grantIdOf(a.patientA.address, a.recordId, policyGranteeOf(POLICY));
    for (const grantId of [policyGrant, hospitalGrant]) {
      const grant = await prisma().consentGrant.findUniqueOrThrow({ where: { grantId } });
      await revokeGrant(a.patientA, grant);
    }
    // The API refuses them at once (the chain finds no active grant)…
    for (const who of [a.doctorB, a.hospitalB])
      await expectApiError(who.request("GET", `/emr/records/${a.recordId}`), 403, "FORBIDDEN");

    // …and the correction's readers no longer include them, so the fresh key is never wrapped for them.
    const readers = await a.doctorA.request<VersionReaders>("GET", `/emr/records/${a.recordId}/readers`);
    expect(readers.policies).toEqual([]);
    expect(readers.keys.map((k) => k.id).sort()).toEqual([a.doctorA.address, a.patientA.address, "escrow"].sort());
    const bundle = makeEmrBundle({
      patient: { address: a.patientA.address },
      doctor: { address: a.doctorA.address },
      hospital: { address: a.hospitalA.address },
      title: "门诊记录",
      chiefComplaint: "胸闷",
      diagnosis: "不稳定型心绞痛",
      notes: "",
      createdAt: Date.now(),
    });
    const content = await a.doctorA.sealCorrection(a.recordId, 2, bundle);
    const draft = await a.doctorA.request<{ id: string }>("POST", `/emr/records/${a.recordId}/drafts`, {
      content,
      reason: "复查后更正",
    });
    await a.patientA.signDraft(draft.id, "patient");
    await a.doctorA.signDraft(draft.id, "doctor");
    expect(JSON.stringify((await a.patientA.readRecord(a.recordId)).bundle)).toContain("不稳定型心绞痛");

    const v2 = await storedWraps(a.recordId, 2);
    expect(v2.map((w) => (w.kind === "ecies" ? w.reader : w.policy)).sort()).toEqual(
      [a.doctorA.address, a.patientA.address, "escrow"].sort(),
    );
    for (const who of [a.doctorB, a.hospitalB])
      await expect(unwrapContentKey(v2, a.recordId, 2, await keysOf(who))).rejects.toBeInstanceOf(NoKeyForReaderError);
  });

  it("denies version 2 clearly to a reader granted again, while version 1 stays readable", async () => {
    // Granted again without the patient's client sharing the new version's key: the chain allows the
    // read, the server has no key for them and says so. What they could read before stays readable.
    await grantOnChain(stack, a.patientA.wallet, { recordId: a.recordId, grantee: a.hospitalB.address });
    const denied = await expectApiError(a.hospitalB.request("GET", `/emr/records/${a.recordId}`), 403, "NO_KEY_FOR_READER");
    expect(denied.body.error!.message).toMatch(/version 2 is not encrypted for you/);
    expect(JSON.stringify((await a.hospitalB.readRecord(a.recordId, 1)).bundle)).toContain("心绞痛");
  });
});
