import { makeEmrBundle, openRecordVersion, recordIdOf, sealRecordVersion, type RecordKeyWrap, type VersionReaders } from "@yyl/sdk";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { detailPaths, expectApiError } from "./support/alliance.ts";
import { deniedActions } from "./support/audit.ts";
import { startStack, type Stack } from "./support/stack.ts";

// The first slice through REST only, as a regulator's or integrator's script would drive it:
// registration and review → dual-signed EMR on chain → MySQL mirror → verified against the chain.

let stack: Stack;
let admin: ApiActor, hospital: ApiActor, doctor: ApiActor, patient: ApiActor, stranger: ApiActor;
const newActor = () => new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);

beforeAll(async () => {
  stack = await startStack();
  admin = new ApiActor(stack.baseUrl, stack.admin);
  hospital = newActor();
  doctor = newActor();
  patient = newActor();
  stranger = newActor();
  for (const a of [admin, hospital, doctor, patient, stranger]) await a.signIn();
});

afterAll(async () => {
  await stack?.close();
});

describe("registration and review", () => {
  it("admits a hospital, its doctor and a patient", async () => {
    const h = await hospital.apply("hospital", { name: "示范医院", level: "三级甲等" });
    expect(h).toMatchObject({ address: hospital.address, role: "hospital", status: "pending", name: "示范医院" });
    expect(h.operator).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await admin.decide(hospital.address, "approve")).toMatchObject({ status: "approved" });

    const hospitals = await patient.request<{ address: string; name: string }[]>("GET", "/members/hospitals");
    expect(hospitals).toContainEqual({ address: hospital.address, name: "示范医院" });

    const d = await doctor.apply("doctor", { name: "李医生", department: "心内科" }, hospital.address);
    expect(d).toMatchObject({ status: "awaiting-hospital", hospital: hospital.address, hospitalName: "示范医院" });
    await hospital.signIn();
    const waiting = await hospital.request<{ items: { address: string; status: string }[] }>("GET", "/members?status=awaiting-hospital");
    expect(waiting.items.map((m) => m.address)).toEqual([doctor.address]);
    const me = await doctor.request<{ member: { status: string } }>("GET", "/auth/me");
    expect(me.member.status).toBe("awaiting-hospital");
    expect(await hospital.registerDoctor(doctor.address)).toMatchObject({ status: "pending" });
    const stillWaiting = await hospital.request<{ items: unknown[] }>("GET", "/members?status=awaiting-hospital");
    expect(stillWaiting.items).toEqual([]);
    expect(await admin.decide(doctor.address, "approve")).toMatchObject({ status: "approved" });

    expect(await patient.apply("patient", { name: "张三" })).toMatchObject({ status: "pending" });
    expect(await admin.decide(patient.address, "approve")).toMatchObject({ status: "approved" });

    const approved = await doctor.request<{ roles: string[] }>("GET", "/auth/me");
    expect(approved.roles).toEqual(["doctor"]);
  });

  it("refuses a decision signed by someone who is not an alliance admin, and records the attempt", async () => {
    const victim = newActor();
    await victim.signIn();
    await victim.apply("patient", { name: "王五" });
    await expectApiError(stranger.decide(victim.address, "approve"), 403, "FORBIDDEN");
    expect(await deniedActions(stack, stranger)).toContain("member.decide");
    const m = await admin.request<{ status: string }>("GET", `/members/${victim.address}`);
    expect(m.status).toBe("pending");
  });
});

describe("dual-signed EMR", () => {
  let draftId: string;
  let recordId: string;

  it("goes draft → patient co-signature → doctor signature → chain → mirror", async () => {
    await doctor.signIn();
    const draft = await doctor.draftRecord(patient.address, {
      title: "门诊病历",
      chiefComplaint: "胸闷两天",
      diagnosis: "稳定型心绞痛",
      hospital: hospital.address,
    });
    expect(draft).toMatchObject({ status: "awaiting-patient", patient: patient.address, doctor: doctor.address, hospital: hospital.address });
    draftId = draft.id as string;
    recordId = draft.recordId as string;

    // The doctor cannot sign before the patient.
    await expectApiError(doctor.signDraft(draftId, "doctor"), 409, "CONFLICT");
    const cosigned = await patient.signDraft(draftId, "patient");
    expect(cosigned).toMatchObject({ status: "awaiting-doctor", patientSigned: true });
    const done = await doctor.signDraft(draftId, "doctor");
    expect(done).toMatchObject({ status: "on-chain", doctorSigned: true });
    expect(done.txHash).toMatch(/^0x[0-9a-f]{64}$/);

    for (const reader of [patient, doctor]) {
      const list = await reader.request<{ items: { recordId: string; title: string; blockNumber: number }[]; total: number }>("GET", "/emr/records");
      expect(list.total).toBe(1);
      expect(list.items[0]).toMatchObject({ recordId, title: "门诊病历" });
      expect(list.items[0]!.blockNumber).toBeGreaterThan(0);
    }
    for (const reader of [patient, doctor]) {
      const read = await reader.readRecord(recordId);
      expect(read.bundle.resourceType).toBe("Bundle");
      expect(JSON.stringify(read.bundle)).toContain("稳定型心绞痛");
    }
  });

  it("keeps only ciphertext and wrapped keys: the server cannot read the content", async () => {
    const { prisma } = stack.app.context;
    const blob = await prisma.emrBlob.findFirstOrThrow({ where: { recordId } });
    const wraps = await prisma.emrKeyWrap.findMany({ where: { storagePointer: blob.storagePointer } });
    const stored = JSON.stringify([blob, wraps], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(stored).not.toContain("心绞痛");
    expect(stored).not.toContain("胸闷");
    // One ECIES wrap each for the patient, the writing doctor and the break-glass escrow key.
    expect(wraps.map((w) => `${w.kind} ${w.reader}`).sort()).toEqual(
      [`ecies ${patient.address}`, `ecies ${doctor.address}`, "ecies escrow"].sort(),
    );
    // The caller gets only their own wrap, and it opens with their key alone.
    const r = await patient.request<{ content: { envelope: string; wraps: RecordKeyWrap[] } }>("GET", `/emr/records/${recordId}`);
    expect(r.content.wraps.map((w) => (w.kind === "ecies" ? w.reader : w.policy))).toEqual([patient.address]);
    await expect(
      openRecordVersion(r.content, recordId, 1, { address: patient.address, privateKey: doctor.wallet.privateKey }),
    ).rejects.toThrow(/failed authentication/);
    // Bound to its record and version: the same wrap does not open as another version.
    await expect(
      openRecordVersion(r.content, recordId, 2, { address: patient.address, privateKey: patient.wallet.privateKey }),
    ).rejects.toThrow(/failed authentication/);
  });

  it("verifies the record against the chain", async () => {
    const v = await patient.request<{ verified: boolean; checks: { name: string; ok: boolean }[] }>("GET", `/verify/records/${recordId}`);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(v.verified).toBe(true);
  });

  it("reports a mismatch when the stored ciphertext was altered", async () => {
    const { prisma } = stack.app.context;
    const blob = await prisma.emrBlob.findFirstOrThrow({ where: { recordId } });
    const tampered = JSON.parse(blob.envelope) as { ct: string };
    tampered.ct = (tampered.ct.startsWith("A") ? "B" : "A") + tampered.ct.slice(1);
    await prisma.emrBlob.update({ where: { storagePointer: blob.storagePointer }, data: { envelope: JSON.stringify(tampered) } });
    try {
      const v = await patient.request<{ verified: boolean; checks: { name: string; ok: boolean }[] }>("GET", `/verify/records/${recordId}`);
      expect(v.verified).toBe(false);
      // The altered ciphertext no longer hashes to the chain's value.
      expect(v.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
        "keccak256(stored ciphertext) = content hash on chain",
      ]);
    } finally {
      await prisma.emrBlob.update({ where: { storagePointer: blob.storagePointer }, data: { envelope: blob.envelope } });
    }
  });

  it("answers the contract's refusal by its error name and writes nothing", async () => {
    const leaving = newActor();
    await leaving.signIn();
    await leaving.apply("patient", { name: "孙八" });
    await admin.decide(leaving.address, "approve");
    await leaving.signIn();
    const draft = await doctor.draftRecord(leaving.address, { title: "急诊", chiefComplaint: "腹痛", diagnosis: "胃炎", hospital: hospital.address });
    await leaving.signDraft(draft.id as string, "patient");
    await admin.decide(leaving.address, "revoke", "left the alliance");
    const refused = await expectApiError(doctor.signDraft(draft.id as string, "doctor"), 422, "EmrRegistryPatientNotActive");
    expect(refused.body.error!.message.toLowerCase()).toContain(leaving.address.toLowerCase());
    const after = await doctor.request<{ draft: { status: string; failure: string } }>("GET", `/emr/drafts/${draft.id}`);
    expect(after.draft.status).toBe("failed");
    expect(after.draft.failure).toContain("EmrRegistryPatientNotActive");
    expect(await stack.app.context.prisma.emrRecord.findUnique({ where: { recordId: draft.recordId as string } })).toBeNull();
  });

  it("keeps the record from anyone else, and records their attempt", async () => {
    await expectApiError(stranger.request("GET", `/emr/records/${recordId}`), 403);
    await expectApiError(stranger.request("GET", `/emr/drafts/${draftId}`), 403);
    const denied = await stack.app.context.prisma.auditEntry.findMany({ where: { actor: stranger.address, outcome: "denied" } });
    expect(denied.map((a) => a.resource)).toEqual(expect.arrayContaining([`record:${recordId}`, `draft:${draftId}`]));
  });
});

describe("bad input changes nothing", () => {
  async function counts() {
    const p = stack.app.context.prisma;
    return { drafts: await p.emrDraft.count(), blobs: await p.emrBlob.count(), members: await p.member.count(), profiles: await p.memberProfile.count() };
  }

  it("names the field at fault and stores nothing", async () => {
    const before = await counts();
    const readers = await doctor.request<VersionReaders>("GET", `/keys/readers?patient=${patient.address}`);
    const createdAt = Date.now();
    const sealed = await sealRecordVersion(
      makeEmrBundle({
        patient: { address: patient.address },
        doctor: { address: doctor.address },
        hospital: { address: hospital.address },
        title: "x",
        chiefComplaint: "x",
        diagnosis: "x",
        notes: "",
        createdAt,
      }),
      recordIdOf(createdAt, patient.address),
      1,
      readers,
    );
    const content = { envelope: sealed.envelope, fieldsRoot: sealed.fieldsRoot, wraps: sealed.wraps };
    const draft = (body: Record<string, unknown>) =>
      doctor.request("POST", "/emr/drafts", { patient: patient.address, title: "x", createdAt, content, ...body });
    expect(detailPaths(await expectApiError(draft({ patient: "0x1234" }), 400, "VALIDATION_FAILED"))).toContain("patient");
    expect(detailPaths(await expectApiError(draft({ title: undefined }), 400))).toContain("title");
    expect(detailPaths(await expectApiError(draft({ createdAt: createdAt - 3600_000 }), 400))).toEqual(["createdAt"]);
    const notEnvelope = await expectApiError(draft({ content: { ...content, envelope: "{}" } }), 400);
    expect(detailPaths(notEnvelope)).toEqual(["content.envelope"]);
    // A key for someone who is no reader of the record, or none for the patient, is refused.
    const outsider = { kind: "ecies", reader: stranger.address, wrapped: sealed.wraps[0]!.wrapped };
    const extra = await expectApiError(draft({ content: { ...content, wraps: [...content.wraps, outsider] } }), 400);
    expect(detailPaths(extra)).toEqual([`content.wraps.${content.wraps.length}.reader`]);
    const withoutPatient = content.wraps.filter((w) => !(w.kind === "ecies" && w.reader === patient.address));
    const missingPatient = await expectApiError(draft({ content: { ...content, wraps: withoutPatient } }), 400);
    expect(missingPatient.body.error!.details![0]!.message).toContain(patient.address);
    await expectApiError(draft({ patient: stranger.address }), 400);
    await expectApiError(doctor.request("GET", "/emr/records/0x1234"), 400);
    await expectApiError(doctor.request("GET", `/emr/records/0x${"ab".repeat(32)}`), 404);
    await expectApiError(doctor.request("GET", "/emr/drafts/not-a-uuid"), 400);
    await expectApiError(doctor.request("POST", `/emr/drafts/${crypto.randomUUID()}/doctor-signature`, { signature: "0x" + "11".repeat(65) }), 404);
    expect(await counts()).toEqual(before);
  });

  it("refuses bad applications and decisions, naming the field", async () => {
    const before = await counts();
    const newcomer = newActor();
    await newcomer.signIn();
    const c = await newcomer.request<{ chainId: number; contracts: { AllianceRegistry: string } }>("GET", "/chain");
    const { applicationTypedData, domainOf, profileHashOf, randomNonce, signTypedData } = await import("@yyl/sdk");
    const profile = { name: "钱七" };
    const signed = async (signer: ApiActor, deadline: number) => {
      const nonce = randomNonce();
      const typed = applicationTypedData(domainOf("AllianceRegistry", c.chainId, c.contracts.AllianceRegistry), {
        applicant: newcomer.address,
        role: 1,
        profileHash: profileHashOf(profile),
        nonce,
        deadline,
      });
      return { role: "patient", profile, nonce, deadline, signature: await signTypedData(signer.wallet, typed) };
    };
    const forged = await expectApiError(newcomer.request("POST", "/members/applications", await signed(stranger, Date.now() + 60_000)), 400);
    expect(detailPaths(forged)).toEqual(["signature"]);
    const late = await expectApiError(newcomer.request("POST", "/members/applications", await signed(newcomer, Date.now() - 1)), 400);
    expect(detailPaths(late)).toEqual(["deadline"]);
    const noHospital = await expectApiError(newcomer.apply("doctor", { name: "钱七" }, stranger.address), 400);
    expect(detailPaths(noHospital)).toEqual(["hospital"]);
    const noName = await expectApiError(newcomer.apply("patient", { name: " " }), 400);
    expect(detailPaths(noName)).toEqual(["profile.name"]);
    await expectApiError(patient.apply("patient", { name: "张三" }), 409, "CONFLICT");

    const badAddress = await expectApiError(admin.request("POST", "/members/0xnothex/decision", {}), 400);
    expect(detailPaths(badAddress)).toContain("params.address");
    await expectApiError(admin.decide(newcomer.address, "approve"), 404);
    expect(await counts()).toEqual(before);
  });

  it("rejects a co-signature by the wrong key", async () => {
    const draft = await doctor.draftRecord(patient.address, { title: "复诊", chiefComplaint: "复查", diagnosis: "好转", hospital: hospital.address });
    const before = await counts();
    const d = await patient.request<{ typedData: Record<string, unknown> }>("GET", `/emr/drafts/${draft.id}`);
    const { signTypedData, typedDataFromJson } = await import("@yyl/sdk");
    const forged = await signTypedData(stranger.wallet, typedDataFromJson(d.typedData));
    const err = await expectApiError(patient.request("POST", `/emr/drafts/${draft.id}/patient-signature`, { signature: forged }), 400);
    expect(err.body.error!.details![0]!.path).toBe("signature");
    const again = await patient.request<{ draft: { status: string } }>("GET", `/emr/drafts/${draft.id}`);
    expect(again.draft.status).toBe("awaiting-patient");
    expect(await counts()).toEqual(before);
  });

  it("answers malformed JSON, oversized bodies and unknown routes with the error envelope", async () => {
    const post = (body: string) =>
      fetch(`${stack.baseUrl}/api/auth/challenge`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("MALFORMED_JSON");
    const huge = await post(JSON.stringify({ address: "0x" + "1".repeat(40), pad: "x".repeat(300_000) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const unknown = await fetch(`${stack.baseUrl}/api/nope`);
    expect(unknown.status).toBe(404);
    const noToken = await fetch(`${stack.baseUrl}/api/emr/records`);
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).error.code).toBe("UNAUTHENTICATED");
  });
});

describe("sign-in", () => {
  it("accepts a challenge once, only with the address's own signature", async () => {
    const someone = newActor();
    const c = await someone.request<{ nonce: string; message: string }>("POST", "/auth/challenge", { address: someone.address });
    const byOther = await stranger.wallet.signMessage(c.message);
    await expectApiError(someone.request("POST", "/auth/session", { address: someone.address, nonce: c.nonce, signature: byOther }), 401, "SIGNATURE_INVALID");
    const c2 = await someone.request<{ nonce: string; message: string }>("POST", "/auth/challenge", { address: someone.address });
    const signature = await someone.wallet.signMessage(c2.message);
    const ok = await someone.request<{ token: string }>("POST", "/auth/session", { address: someone.address, nonce: c2.nonce, signature });
    expect(ok.token).toBeTruthy();
    await expectApiError(someone.request("POST", "/auth/session", { address: someone.address, nonce: c2.nonce, signature }), 401, "CHALLENGE_INVALID");
    someone.token = "not.a.jwt";
    await expectApiError(someone.request("GET", "/auth/me"), 401, "UNAUTHENTICATED");
  });
});

describe("OpenAPI", () => {
  it("documents every route with its schemas and the bearer scheme", async () => {
    const doc = await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/auth/challenge", "/api/members/applications", "/api/emr/drafts/{id}/doctor-signature", "/api/verify/records/{recordId}"]),
    );
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    const ui = await fetch(`${stack.baseUrl}/api/docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain("swagger-ui");
  });
});
