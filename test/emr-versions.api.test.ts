import {
  DELEGATION_SCOPE,
  categoryOf,
  emrDeletionTypedData,
  emrUpdateTypedData,
  fieldsRootOf,
  makeEmrBundle,
  randomNonce,
  reasonHashOf,
  sealRecordVersion,
  type VersionReaders,
} from "@yyl/sdk";
import { ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiActor } from "../scripts/lib/api-actor.ts";
import {
  buildAlliance,
  detailPaths,
  expectApiError,
  writeRecord,
  type Alliance,
} from "./support/alliance.ts";
import { denials } from "./support/audit.ts";
import { delegateOnChain, grantOnChain, operatorOf, sendAndMirror } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";
import { wrapRows } from "../server/src/keys/wraps.ts";

// Corrections (a new, dual-signed version with its reason), tombstones, history, categories, and
// reads of another hospital under the patient's grant, all through the REST API.

type Json = Record<string, unknown>;
interface Page<T> {
  items: T[];
  total: number;
}
interface RecordView {
  recordId: string;
  version: number;
  deleted: boolean;
  category: string | null;
  categoryName: string | null;
  title: string | null;
}
interface VersionView {
  version: number;
  doctor: string;
  doctorName: string | null;
  hospital: string;
  contentHash: string;
  storagePointer: string;
  reasonHash: string;
  reason: string | null;
  txHash: string;
  writtenAt: number;
}
interface History extends Page<VersionView> {
  record: RecordView;
  deletion: { reasonHash: string; reason: string | null } | null;
}

let stack: Stack;
let a: Alliance;
/** A second doctor of hospital A. */
let colleague: ApiActor;
/** Patient A's guardian with the co-sign scope, and one with the grant scope only. */
let guardian: ApiActor, grantOnlyGuardian: ApiActor;

const prisma = () => stack.app.context.prisma;
const bundleFor = (doctor: ApiActor, diagnosis: string) =>
  makeEmrBundle({
    patient: { address: a.patientA.address },
    doctor: { address: doctor.address },
    hospital: { address: a.hospitalA.address },
    title: "门诊记录",
    chiefComplaint: "胸闷",
    diagnosis,
    notes: "",
    createdAt: Date.now(),
  });
/** A correction drafted as the doctor's client does: `bundle` is sealed for the next version's readers. */
async function correct(doctor: ApiActor, recordId: string, body: Json): Promise<Json> {
  const { bundle, ...rest } = body;
  if (bundle === undefined) return doctor.request<Json>("POST", `/emr/records/${recordId}/drafts`, rest);
  const row = await prisma().emrRecord.findUnique({ where: { recordId } });
  const content = await doctor.sealCorrection(recordId, (row?.version ?? 0) + 1, bundle);
  return doctor.request<Json>("POST", `/emr/records/${recordId}/drafts`, { ...rest, content });
}
const history = (actor: ApiActor, recordId: string, q = "") =>
  actor.request<History>("GET", `/emr/records/${recordId}/versions${q}`);
const recordRow = (recordId: string) => prisma().emrRecord.findUniqueOrThrow({ where: { recordId } });

/** A correction sent to the chain by another way than this API (e.g. another server), with its content stored. */
async function updateElsewhere(recordId: string, version: number): Promise<void> {
  const bundle = bundleFor(a.doctorA, "由其他途径更正");
  const readers = await a.doctorA.request<VersionReaders>("GET", `/emr/records/${recordId}/readers`);
  const sealed = await sealRecordVersion(bundle, recordId, version, readers);
  const storagePointer = `emr-blob:${recordId}:${version}:elsewhere`;
  await prisma().emrBlob.create({
    data: { storagePointer, recordId, envelope: sealed.envelope, title: "门诊记录", createdAt: BigInt(Date.now()) },
  });
  await prisma().emrKeyWrap.createMany({ data: wrapRows(storagePointer, sealed.wraps, a.doctorA.address) });
  const m = {
    recordId,
    version,
    doctor: a.doctorA.address,
    contentHash: sealed.contentHash,
    fieldsRoot: fieldsRootOf(bundle),
    storagePointer,
    reasonHash: reasonHashOf("其他途径"),
    deadline: Date.now() + 600_000,
  };
  const [pn, dn] = [randomNonce(), randomNonce()];
  const domain = await a.patientA.domain("EmrRegistry");
  const psig = await a.patientA.sign(emrUpdateTypedData(domain, { ...m, nonce: pn }));
  const dsig = await a.doctorA.sign(emrUpdateTypedData(domain, { ...m, nonce: dn }));
  const operator = await operatorOf(stack, a.hospitalA.address);
  const args = [
    recordId,
    m.doctor,
    m.contentHash,
    m.fieldsRoot,
    storagePointer,
    m.reasonHash,
    pn,
    dn,
    m.deadline,
    psig,
    dsig,
  ];
  await sendAndMirror(stack, "EmrRegistry", "updateRecord", args, operator);
}

async function deletion(
  signer: ApiActor,
  recordId: string,
  reason: string,
  deadline = Date.now() + 600_000,
): Promise<Json> {
  const nonce = randomNonce();
  const typed = emrDeletionTypedData(await signer.domain("EmrRegistry"), {
    recordId,
    reasonHash: reasonHashOf(reason),
    nonce,
    deadline,
  });
  return { reason, nonce, deadline, signature: await signer.sign(typed) };
}

beforeAll(async () => {
  stack = await startStack();
  a = await buildAlliance(stack);
  colleague = a.newActor();
  guardian = a.newActor();
  grantOnlyGuardian = a.newActor();
  for (const x of [colleague, guardian, grantOnlyGuardian]) await x.signIn();
  await colleague.apply("doctor", { name: "甲二医生", department: "心内科" }, a.hospitalA.address);
  await a.hospitalA.registerDoctor(colleague.address);
  await a.admin.decide(colleague.address, "approve");
  await delegateOnChain(stack, a.patientA.wallet, guardian.address, DELEGATION_SCOPE.cosign);
  await delegateOnChain(stack, a.patientA.wallet, grantOnlyGuardian.address, DELEGATION_SCOPE.grant);
});

afterAll(async () => {
  await stack?.close();
});

describe("corrections", () => {
  const reason = "复查心电图后更正诊断";

  it("writes version 2 with its reason; history shows both versions and version 1 stays readable", async () => {
    const { recordId, patientA, doctorA } = a;
    const v1 = (await history(patientA, recordId)).items[0]!;
    const draft = await correct(doctorA, recordId, { bundle: bundleFor(doctorA, "不稳定型心绞痛"), reason });
    expect(draft).toMatchObject({
      kind: "update",
      version: 2,
      reason,
      recordId,
      status: "awaiting-patient",
      title: "门诊记录",
    });
    expect(draft.storagePointer).toBe(`emr-blob:${recordId}:2`);

    // Both the patient and the doctor sign EmrUpdate for version 2, each with their own nonce.
    const forPatient = await patientA.request<{ typedData: { primaryType: string; message: Json } }>(
      "GET",
      `/emr/drafts/${draft.id}`,
    );
    expect(forPatient.typedData.primaryType).toBe("EmrUpdate");
    expect(forPatient.typedData.message).toMatchObject({
      recordId,
      version: "2",
      doctor: doctorA.address,
      reasonHash: reasonHashOf(reason),
      nonce: draft.patientNonce,
    });
    expect((await patientA.signDraft(String(draft.id), "patient")).status).toBe("awaiting-doctor");
    const forDoctor = await doctorA.request<{ typedData: { message: Json } }>(
      "GET",
      `/emr/drafts/${draft.id}`,
    );
    expect(forDoctor.typedData.message.nonce).toBe(draft.doctorNonce);
    const done = await doctorA.signDraft(String(draft.id), "doctor");
    expect(done).toMatchObject({ status: "on-chain", kind: "update" });
    expect(done.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    const latest = await patientA.readRecord<{ record: RecordView }>(recordId);
    expect(latest.record.version).toBe(2);
    expect(JSON.stringify(latest.bundle)).toContain("不稳定型心绞痛");

    const h = await history(patientA, recordId);
    expect(h.total).toBe(2);
    expect(h.items.map((v) => [v.version, v.reason, v.reasonHash])).toEqual([
      [1, null, ZeroHash],
      [2, reason, reasonHashOf(reason)],
    ]);
    expect(h.items[0]).toEqual(v1);
    expect(h.items[1]).toMatchObject({
      doctor: doctorA.address,
      doctorName: "甲医生",
      hospital: a.hospitalA.address,
      txHash: done.txHash,
    });
    const [, chainHash, , chainPointer, chainReason] = await stack.app.context.chain.emr.call<unknown[]>(
      "versionOf",
      [recordId, 2],
    );
    expect([String(chainHash).toLowerCase(), chainPointer, String(chainReason).toLowerCase()]).toEqual([
      h.items[1]!.contentHash,
      h.items[1]!.storagePointer,
      reasonHashOf(reason),
    ]);

    const old = await doctorA.readRecord<{ version: VersionView }>(recordId, 1);
    expect(old.version.version).toBe(1);
    expect(JSON.stringify(old.bundle)).toContain("心绞痛");
    expect(JSON.stringify(old.bundle)).not.toContain("不稳定型");
    await expectApiError(patientA.request("GET", `/emr/records/${recordId}/versions/9`), 404, "NOT_FOUND");

    const updates = await doctorA.request<Page<{ id: string; kind: string }>>(
      "GET",
      "/emr/drafts?kind=update",
    );
    expect(updates.items.map((d) => d.id)).toEqual([draft.id]);
    const writes = await doctorA.request<Page<{ recordId: string; kind: string }>>(
      "GET",
      "/emr/drafts?kind=write&sort=createdAt:asc",
    );
    expect(writes.items.map((d) => [d.recordId, d.kind])).toEqual([[recordId, "write"]]);
    const audit = await prisma().auditEntry.findMany({
      where: { actor: doctorA.address, action: "emr.record.update", outcome: "allowed" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => e.resource)).toEqual([`draft:${draft.id}`, `record:${recordId}`]);
  });

  it("lets a colleague of the same hospital correct it, co-signed by the patient's guardian", async () => {
    const { recordId } = a;
    const draft = await correct(colleague, recordId, {
      title: "门诊记录（更正）",
      bundle: bundleFor(colleague, "变异型心绞痛"),
      reason: "补充冠脉造影结果",
    });
    expect(draft).toMatchObject({ version: 3, doctor: colleague.address, hospital: a.hospitalA.address });
    const mine = await guardian.request<Page<{ id: string }>>("GET", "/emr/drafts?status=awaiting-patient");
    expect(mine.items.map((d) => d.id)).toContain(draft.id);
    expect((await guardian.signDraft(String(draft.id), "patient")).status).toBe("awaiting-doctor");
    expect((await colleague.signDraft(String(draft.id), "doctor")).status).toBe("on-chain");
    const h = await history(colleague, recordId, "?sort=version:desc&pageSize=1");
    expect(h.total).toBe(3);
    expect(h.items[0]).toMatchObject({ version: 3, doctor: colleague.address, reason: "补充冠脉造影结果" });
    expect(h.record).toMatchObject({ version: 3, title: "门诊记录（更正）" });
  });

  it("refuses other people, bad input and a second correction of the same version, storing nothing", async () => {
    const { recordId } = a;
    const before = {
      drafts: await prisma().emrDraft.count(),
      blobs: await prisma().emrBlob.count(),
      record: await recordRow(recordId),
    };
    const body = { bundle: bundleFor(a.doctorB, "x"), reason: "y" };
    for (const who of [a.doctorB, a.patientA, a.hospitalA, a.stranger]) {
      await expectApiError(correct(who, recordId, body), 403, "FORBIDDEN");
      expect(await denials(stack, who, "emr.record.update")).toBe(1);
    }
    const noReason = await expectApiError(
      correct(a.doctorA, recordId, { bundle: body.bundle }),
      400,
      "VALIDATION_FAILED",
    );
    expect(detailPaths(noReason)).toEqual(["reason"]);
    const longReason = await expectApiError(
      correct(a.doctorA, recordId, { bundle: body.bundle, reason: "理".repeat(501) }),
      400,
    );
    expect(detailPaths(longReason)).toEqual(["reason"]);
    // The doctor's client refuses to seal what is no FHIR document; the server refuses what is no envelope.
    await expect(correct(a.doctorA, recordId, { bundle: { resourceType: "Patient" }, reason: "y" })).rejects.toThrow(
      /not a FHIR R4 document Bundle/,
    );
    const sealed = await a.doctorA.sealCorrection(recordId, 4, body.bundle);
    const notSealed = await expectApiError(
      correct(a.doctorA, recordId, { content: { ...sealed, envelope: "{}" }, reason: "y" }),
      400,
    );
    expect(detailPaths(notSealed)).toEqual(["content.envelope"]);
    const badId = await expectApiError(correct(a.doctorA, "0x12", body), 400);
    expect(detailPaths(badId)).toEqual(["params.recordId"]);
    await expectApiError(correct(a.doctorA, `0x${"cd".repeat(32)}`, body), 404);
    expect({
      drafts: await prisma().emrDraft.count(),
      blobs: await prisma().emrBlob.count(),
      record: await recordRow(recordId),
    }).toEqual(before);

    const pending = await correct(a.doctorA, recordId, body);
    expect(pending.version).toBe(4);
    await expectApiError(correct(colleague, recordId, body), 409, "CONFLICT");
    expect(await prisma().emrDraft.count()).toBe(before.drafts + 1);
  });

  it("answers a refusal by the chain with its error: a guardian without the co-sign scope", async () => {
    const { recordId } = a;
    const pending = await prisma().emrDraft.findFirstOrThrow({ where: { recordId, version: 4 } });
    expect((await grantOnlyGuardian.signDraft(pending.id, "patient")).status).toBe("awaiting-doctor");
    const before = { record: await recordRow(recordId), versions: await prisma().emrRecordVersion.count() };
    const refused = await expectApiError(a.doctorA.signDraft(pending.id, "doctor"), 422, "SignatureInvalid");
    expect(refused.body.error!.message.toLowerCase()).toContain(grantOnlyGuardian.address.toLowerCase());
    const after = await a.doctorA.request<{ draft: { status: string; failure: string } }>(
      "GET",
      `/emr/drafts/${pending.id}`,
    );
    expect(after.draft.status).toBe("failed");
    expect(after.draft.failure).toContain("SignatureInvalid");
    expect({ record: await recordRow(recordId), versions: await prisma().emrRecordVersion.count() }).toEqual(
      before,
    );
  });

  it("replaces the refused draft, and refuses to submit once the record moved past its base version", async () => {
    const { recordId } = a;
    const failed = await prisma().emrDraft.findFirstOrThrow({ where: { recordId, version: 4 } });
    const again = await correct(a.doctorA, recordId, {
      bundle: bundleFor(a.doctorA, "心肌缺血"),
      reason: "重新提交",
    });
    expect(again).toMatchObject({ version: 4, status: "awaiting-patient" });
    expect(await prisma().emrDraft.findUnique({ where: { id: failed.id } })).toBeNull();
    await a.patientA.signDraft(String(again.id), "patient");

    await updateElsewhere(recordId, 4);
    const moved = await expectApiError(
      a.doctorA.signDraft(String(again.id), "doctor"),
      409,
      "VERSION_MOVED_ON",
    );
    expect(moved.body.error!.message).toContain("version 4");
    const unchanged = await prisma().emrDraft.findUniqueOrThrow({ where: { id: String(again.id) } });
    expect([unchanged.status, unchanged.doctorSig, unchanged.txHash]).toEqual([
      "awaiting-doctor",
      null,
      null,
    ]);
    expect((await recordRow(recordId)).version).toBe(4);
  });
});

describe("categories", () => {
  it("lets the record's hospital classify it once, by name", async () => {
    const { recordId } = a;
    const bad = await expectApiError(
      a.hospitalA.request("POST", `/emr/records/${recordId}/category`, { category: " " }),
      400,
    );
    expect(detailPaths(bad)).toEqual(["category"]);
    for (const who of [a.hospitalB, a.doctorA, a.patientA]) {
      await expectApiError(
        who.request("POST", `/emr/records/${recordId}/category`, { category: "cardiology" }),
        403,
      );
      expect(await denials(stack, who, "emr.record.classify")).toBe(1);
    }
    expect((await recordRow(recordId)).category).toBeNull();
    const r = await a.hospitalA.request<RecordView>("POST", `/emr/records/${recordId}/category`, {
      category: "cardiology",
    });
    expect(r).toMatchObject({ category: categoryOf("cardiology"), categoryName: "cardiology" });
    expect(
      await stack.app.context.chain.contracts.ConsentManager.call<string>("categoryOf", [recordId]),
    ).toBe(categoryOf("cardiology"));
    await expectApiError(
      a.hospitalA.request("POST", `/emr/records/${recordId}/category`, { category: "neurology" }),
      409,
      "ALREADY_CLASSIFIED",
    );
    const listed = await a.patientA.request<Page<RecordView>>("GET", "/emr/records?category=cardiology");
    expect(listed.items.map((x) => x.recordId)).toEqual([recordId]);
    expect((await a.patientA.request<Page<RecordView>>("GET", "/emr/records?category=neurology")).total).toBe(
      0,
    );
  });
});

describe("reads by another hospital under the patient's grant", () => {
  let referral: string;

  // The chain decides each read; its AccessRequested events reach the mirror shortly after.
  const requestsOf = async (recordId: string) =>
    (await prisma().accessRequest.findMany({ where: { recordId }, orderBy: { id: "asc" } })).map((r) => [
      r.requester,
      r.granted,
      r.reason,
    ]);

  it("denies doctor B and hospital B until the patient grants hospital B, deciding each read on chain", async () => {
    referral = await writeRecord(a.doctorA, a.patientA, a.hospitalA, {
      title: "转诊记录",
      chiefComplaint: "心悸",
      diagnosis: "房颤",
    });
    for (const who of [a.doctorB, a.hospitalB]) {
      await expectApiError(who.request("GET", `/emr/records/${referral}`), 403, "FORBIDDEN");
      expect(
        (await who.request<Page<RecordView>>("GET", "/emr/records")).items.map((r) => r.recordId),
      ).not.toContain(referral);
    }
    const deniedOnChain = [a.hospitalB.address, false, 10];
    await expect.poll(() => requestsOf(referral)).toEqual([deniedOnChain, deniedOnChain]);
    const denied = await prisma().auditEntry.findMany({
      where: { resource: `record:${referral}`, outcome: "denied" },
    });
    expect(denied.map((e) => e.actor).sort()).toEqual([a.doctorB.address, a.hospitalB.address].sort());

    await grantOnChain(stack, a.patientA.wallet, { recordId: referral, grantee: a.hospitalB.address });
    await a.patientA.shareKeys(referral, a.hospitalB.address);
    for (const who of [a.doctorB, a.hospitalB]) {
      const read = await who.readRecord<{ record: RecordView }>(referral);
      expect(JSON.stringify(read.bundle)).toContain("房颤");
      expect(
        (await who.request<Page<RecordView>>("GET", "/emr/records")).items.map((r) => r.recordId),
      ).toContain(referral);
    }
    expect((await history(a.doctorB, referral)).total).toBe(1);
    const grantedOnChain = [a.hospitalB.address, true, 1];
    await expect
      .poll(() => requestsOf(referral))
      .toEqual([deniedOnChain, deniedOnChain, grantedOnChain, grantedOnChain, grantedOnChain]);
  });

  it("asks in the doctor's own name once the doctor holds a personal grant", async () => {
    await grantOnChain(stack, a.patientA.wallet, { recordId: referral, grantee: a.doctorB.address });
    await a.doctorB.request("GET", `/emr/records/${referral}`);
    await expect.poll(async () => (await requestsOf(referral)).at(-1)).toEqual([a.doctorB.address, true, 1]);
    expect(await requestsOf(referral)).toHaveLength(6);
  });

  it("lists a category-granted record to the grantee doctor", async () => {
    expect(
      (await a.doctorB.request<Page<RecordView>>("GET", "/emr/records")).items.map((r) => r.recordId),
    ).not.toContain(a.recordId);
    await grantOnChain(stack, a.patientA.wallet, { category: "cardiology", grantee: a.doctorB.address });
    const listed = await a.doctorB.request<Page<RecordView>>("GET", "/emr/records?category=cardiology");
    expect(listed.items.map((r) => r.recordId)).toEqual([a.recordId]);
  });
});

describe("lists", () => {
  it("scopes records per role and filters them", async () => {
    const ids = (p: Page<RecordView>) => p.items.map((r) => r.recordId).sort();
    const all = await a.admin.request<Page<RecordView>>("GET", "/emr/records?pageSize=100");
    expect(all.total).toBeGreaterThanOrEqual(2);
    const patients = await a.patientA.request<Page<RecordView>>("GET", "/emr/records");
    expect(ids(patients)).toEqual(ids(await guardian.request<Page<RecordView>>("GET", "/emr/records")));
    expect(patients.total).toBe(2);
    expect((await a.patientB.request<Page<RecordView>>("GET", "/emr/records")).total).toBe(0);
    expect((await a.stranger.request<Page<RecordView>>("GET", "/emr/records")).total).toBe(0);
    expect(ids(await colleague.request<Page<RecordView>>("GET", "/emr/records"))).toEqual([a.recordId]);
    expect((await a.hospitalA.request<Page<RecordView>>("GET", "/emr/records")).total).toBe(2);

    const byVersion = await a.patientA.request<Page<RecordView>>("GET", "/emr/records?sort=version:desc");
    expect(byVersion.items.map((r) => r.version)).toEqual([4, 1]);
    const first = (await prisma().emrRecord.findUniqueOrThrow({ where: { recordId: a.recordId } })).writtenAt;
    const early = await a.patientA.request<Page<RecordView>>("GET", `/emr/records?to=${Number(first) + 1}`);
    expect(ids(early)).toEqual([a.recordId]);
    expect(
      (await a.patientA.request<Page<RecordView>>("GET", `/emr/records?from=${Number(first) + 1}`)).items.map(
        (r) => r.recordId,
      ),
    ).not.toContain(a.recordId);
    expect(
      (await a.patientA.request<Page<RecordView>>("GET", `/emr/records?doctor=${colleague.address}`)).total,
    ).toBe(0);
    expect(
      (await a.admin.request<Page<RecordView>>("GET", `/emr/records?hospital=${a.hospitalB.address}`)).total,
    ).toBe(0);
    const bad = await expectApiError(
      a.patientA.request("GET", "/emr/records?deleted=maybe&sort=title:asc"),
      400,
    );
    expect(detailPaths(bad).sort()).toEqual(["query.deleted", "query.sort"]);
  });

  it("keeps history from people without a relation or grant, recording the attempt", async () => {
    await expectApiError(history(a.stranger, a.recordId), 403);
    await expectApiError(a.stranger.request("GET", `/emr/records/${a.recordId}/versions/1`), 403);
    expect(await denials(stack, a.stranger, "emr.record.history")).toBe(1);
    expect(await denials(stack, a.stranger, "emr.record.read")).toBe(1);
  });
});

describe("tombstone", () => {
  const reason = "本人要求删除该病历";

  it("refuses anyone but the patient or their guardian, and bad signatures, changing nothing", async () => {
    const { recordId } = a;
    const before = await recordRow(recordId);
    for (const who of [a.doctorA, a.hospitalA, a.patientB]) {
      await expectApiError(
        who.request("POST", `/emr/records/${recordId}/deletion`, await deletion(who, recordId, reason)),
        403,
        "FORBIDDEN",
      );
      expect(await denials(stack, who, "emr.record.delete")).toBe(1);
    }
    const noReason = await deletion(a.patientA, recordId, reason);
    delete noReason.reason;
    const missing = await expectApiError(
      a.patientA.request("POST", `/emr/records/${recordId}/deletion`, noReason),
      400,
    );
    expect(detailPaths(missing)).toEqual(["reason"]);
    const byOther = await expectApiError(
      a.patientA.request(
        "POST",
        `/emr/records/${recordId}/deletion`,
        await deletion(a.patientB, recordId, reason),
      ),
      400,
    );
    expect(detailPaths(byOther)).toEqual(["signature"]);
    const late = await expectApiError(
      a.patientA.request(
        "POST",
        `/emr/records/${recordId}/deletion`,
        await deletion(a.patientA, recordId, reason, Date.now() - 1),
      ),
      400,
    );
    expect(detailPaths(late)).toEqual(["deadline"]);
    const otherReason = { ...(await deletion(a.patientA, recordId, reason)), reason: "另一个理由" };
    await expectApiError(a.patientA.request("POST", `/emr/records/${recordId}/deletion`, otherReason), 400);
    await expectApiError(
      a.patientA.request(
        "POST",
        `/emr/records/0x${"ef".repeat(32)}/deletion`,
        await deletion(a.patientA, `0x${"ef".repeat(32)}`, reason),
      ),
      404,
    );
    expect(await recordRow(recordId)).toEqual(before);
  });

  it("deletes: content answers 410, the list flags it, history keeps the versions and the reason", async () => {
    const { recordId } = a;
    const pending = await prisma().emrDraft.findFirstOrThrow({
      where: { recordId, version: 4, status: "awaiting-doctor" },
    });
    const r = await a.patientA.request<RecordView>(
      "POST",
      `/emr/records/${recordId}/deletion`,
      await deletion(a.patientA, recordId, reason),
    );
    expect(r).toMatchObject({ recordId, deleted: true });
    expect(await stack.app.context.chain.emr.call<boolean>("isDeleted", [recordId])).toBe(true);

    for (const who of [a.patientA, a.doctorA]) {
      await expectApiError(who.request("GET", `/emr/records/${recordId}`), 410, "RECORD_DELETED");
      await expectApiError(who.request("GET", `/emr/records/${recordId}/versions/1`), 410, "RECORD_DELETED");
    }
    const deleted = await a.patientA.request<Page<RecordView>>("GET", "/emr/records?deleted=true");
    expect(deleted.items.map((x) => [x.recordId, x.deleted])).toEqual([[recordId, true]]);
    expect(
      (await a.patientA.request<Page<RecordView>>("GET", "/emr/records?deleted=false")).items.map(
        (x) => x.recordId,
      ),
    ).not.toContain(recordId);

    const h = await history(a.patientA, recordId);
    expect(h.items.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(h.deletion).toEqual({ reasonHash: reasonHashOf(reason), reason });
    expect(h.record.deleted).toBe(true);

    // Nothing more can happen to it.
    await expectApiError(
      correct(a.doctorA, recordId, { bundle: bundleFor(a.doctorA, "x"), reason: "y" }),
      409,
      "RECORD_DELETED",
    );
    await expectApiError(a.doctorA.signDraft(pending.id, "doctor"), 409, "RECORD_DELETED");
    expect((await prisma().emrDraft.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe(
      "awaiting-doctor",
    );
    await expectApiError(
      a.patientA.request(
        "POST",
        `/emr/records/${recordId}/deletion`,
        await deletion(a.patientA, recordId, reason),
      ),
      409,
      "RECORD_DELETED",
    );
  });
});
