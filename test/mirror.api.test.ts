import type { ContractName } from "@yyl/deploy";
import {
  blacklistLiftTypedData,
  careStepTypedData,
  categoryOf,
  complaintTypedData,
  delegationRevocationTypedData,
  delegationTypedData,
  domainOf,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
  emrDeletionTypedData,
  emrUpdateTypedData,
  feedbackTypedData,
  grantIdOf,
  grantTypedData,
  hospitalLevelTypedData,
  pointsTenths,
  randomNonce,
  researchAction,
  revocationTypedData,
  scoreAdjustmentTypedData,
  tierOf,
  visitIdOf,
  visitOpeningTypedData,
  type Eip712Domain,
  type TransactionReceipt,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes, Wallet, ZeroHash, type TypedDataField } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Every event of every contract reaches its MySQL table through the real indexer: members are admitted
// and a record is written through the REST API, everything else is sent straight to the contracts (as
// a hospital's operator, the alliance's account or any relayer, with the right person's signature), and
// after each group the mirror's rows are compared with what the chain must have said. At the end the
// mirror's chain_events must be exactly the logs a fresh scan of the chain decodes, and replaying every
// block must change nothing.

let stack: Stack;
let admin: ApiActor, hospital: ApiActor, hospital2: ApiActor, doctor: ApiActor, patient: ApiActor;
/** The hospitals' operator accounts (held by WeBASE-Front), as the API reports them. */
let op: string, op2: string;
/** Record A is updated, classified, shared, rated; record B is deleted. */
let recordA: string, recordB: string;
/** Every receipt of a transaction this file sent straight to a contract. */
const receipts: TransactionReceipt[] = [];

const newActor = () => new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
const h32 = (s: string) => keccak256(toUtf8Bytes(s));
const signing = () => ({ nonce: randomNonce(), deadline: Date.now() + 3_600_000 });
const lower = (a: string) => a.toLowerCase();

/** Any typed-data object the sdk builders return. */
interface Signable {
  domain: Eip712Domain;
  types: Record<string, TypedDataField[]>;
  message: Record<string, unknown>;
}

/** The signer's EIP-712 signature over an sdk-built typed-data object. */
function sign(wallet: Pick<Wallet, "signTypedData">, td: Signable): Promise<string> {
  return wallet.signTypedData(td.domain, td.types, td.message);
}

function ctx() {
  return stack.app.context;
}

function domain(name: ContractName) {
  const { chain } = ctx();
  return domainOf(name, chain.deployment.chainId, chain.contracts[name].address);
}

/** Sends a transaction to one of our contracts (default sender: the alliance's account). */
async function send(name: ContractName, fn: string, args: readonly unknown[], user?: string): Promise<TransactionReceipt> {
  const receipt = await ctx().chain.contracts[name].send(fn, args, user ? { user } : {});
  receipts.push(receipt);
  return receipt;
}

/** Resolves once the mirror holds the receipt's block. */
async function mirrored(receipt: TransactionReceipt): Promise<void> {
  await ctx().indexer.waitForBlock(receipt.blockNumber);
}

/** `Contract.Event` for each log of a receipt, in order (null for a log none of our contracts decodes). */
function decodeReceipt(receipt: TransactionReceipt): (string | null)[] {
  const handles = Object.values(ctx().chain.contracts);
  return (receipt.logEntries ?? []).map((entry) => {
    const handle = handles.find((h) => h.address === lower(entry.address));
    const [event] = handle ? handle.decodeLogs([entry]) : [];
    return handle && event ? `${handle.contractName}.${event.name}` : null;
  });
}

/** The block time (ms) of a receipt's block, as the mirror stores it. */
async function blockTime(receipt: TransactionReceipt): Promise<bigint> {
  const block = await ctx().chain.client.blockByNumber(receipt.blockNumber);
  return BigInt(block!.timestamp);
}

async function writeRecordThroughApi(title: string): Promise<string> {
  const draft = await doctor.draftRecord(patient.address, { title, chiefComplaint: "胸闷两天", diagnosis: "稳定型心绞痛", hospital: hospital.address });
  expect(await patient.signDraft(draft.id as string, "patient")).toMatchObject({ status: "awaiting-doctor" });
  expect(await doctor.signDraft(draft.id as string, "doctor")).toMatchObject({ status: "on-chain" });
  return lower(draft.recordId as string);
}

/** Every mirror table, in a fixed order (for the replay check). */
async function mirrorSnapshot() {
  const p = ctx().prisma;
  const byLog = { orderBy: [{ blockNumber: "asc" as const }, { logIndex: "asc" as const }] };
  return {
    chainEvents: await p.chainEvent.findMany(byLog),
    members: await p.member.findMany(byLog),
    admins: await p.allianceAdmin.findMany(byLog),
    records: await p.emrRecord.findMany(byLog),
    versions: await p.emrRecordVersion.findMany(byLog),
    certifications: await p.doctorCertification.findMany(byLog),
    delegations: await p.delegation.findMany(byLog),
    grants: await p.consentGrant.findMany(byLog),
    requests: await p.accessRequest.findMany(byLog),
    blacklist: await p.blacklistEntry.findMany(byLog),
    complaints: await p.complaint.findMany(byLog),
    emergencies: await p.emergencyAccessEntry.findMany(byLog),
    visits: await p.visit.findMany(byLog),
    steps: await p.visitStep.findMany(byLog),
    scores: await p.hospitalScore.findMany(byLog),
    scoreEvents: await p.scoreEvent.findMany(byLog),
    ratings: await p.recordRating.findMany(byLog),
    recordPoints: await p.recordPoints.findMany(byLog),
    patientPoints: await p.patientPoints.findMany(byLog),
    projects: await p.researchProject.findMany(byLog),
    allocations: await p.researchAllocationRow.findMany(byLog),
  };
}

beforeAll(async () => {
  stack = await startStack();
  admin = new ApiActor(stack.baseUrl, stack.admin);
  hospital = newActor();
  hospital2 = newActor();
  doctor = newActor();
  patient = newActor();
  for (const a of [admin, hospital, hospital2, doctor, patient]) await a.signIn();

  // Admission through the REST API, as emr-flow does.
  await hospital.apply("hospital", { name: "示范医院" });
  await admin.decide(hospital.address, "approve");
  await hospital2.apply("hospital", { name: "协作医院" });
  await admin.decide(hospital2.address, "approve");
  await doctor.apply("doctor", { name: "李医生", department: "心内科" }, hospital.address);
  await hospital.signIn();
  await hospital.registerDoctor(doctor.address);
  await admin.decide(doctor.address, "approve");
  await patient.apply("patient", { name: "张三" });
  await admin.decide(patient.address, "approve");
  for (const a of [hospital, hospital2, doctor, patient]) await a.signIn();

  op = (await admin.request<{ operator: string }>("GET", `/members/${hospital.address}`)).operator;
  op2 = (await admin.request<{ operator: string }>("GET", `/members/${hospital2.address}`)).operator;
  expect(op).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(op2).toMatch(/^0x[0-9a-fA-F]{40}$/);
  expect(lower(op)).not.toBe(lower(op2));

  // Records through the API: draft → patient co-signature → doctor signature.
  recordA = await writeRecordThroughApi("门诊病历");
  recordB = await writeRecordThroughApi("复诊病历");
});

afterAll(async () => {
  await stack?.close();
});

describe("every contract event reaches its MySQL table", () => {
  it("AllianceRegistry: HospitalLevelSet, DoctorCertified, CertificationRevoked, AdminAdded, AdminRemoved", async () => {
    const { prisma } = ctx();
    const registry = domain("AllianceRegistry");
    for (const [h, level] of [
      [hospital.address, 3],
      [hospital2.address, 2],
    ] as const) {
      const s = signing();
      const sig = await sign(stack.admin, hospitalLevelTypedData(registry, { hospital: h, level, ...s }));
      await mirrored(await send("AllianceRegistry", "setHospitalLevel", [h, level, s.nonce, s.deadline, sig]));
    }
    expect(await prisma.member.findUniqueOrThrow({ where: { address: hospital.address } })).toMatchObject({ role: 3, status: 2, level: 3 });
    expect(await prisma.member.findUniqueOrThrow({ where: { address: hospital2.address } })).toMatchObject({ role: 3, status: 2, level: 2 });
    expect((await prisma.member.findUniqueOrThrow({ where: { address: patient.address } })).level).toBeNull();

    const credentialHash = h32("执业证书 110000");
    const department = h32("CARDIOLOGY");
    const expiresAt = BigInt(Date.now() + 365 * 86_400_000);
    const certified = await send("AllianceRegistry", "certifyDoctor", [doctor.address, credentialHash, department, expiresAt], op);
    await mirrored(certified);
    expect(await prisma.doctorCertification.findUniqueOrThrow({ where: { doctor: doctor.address } })).toMatchObject({
      certifier: hospital.address,
      credentialHash: lower(credentialHash),
      department: lower(department),
      expiresAt,
      issuedAt: await blockTime(certified),
      revoked: false,
      revokeReason: null,
    });

    const revokeReason = h32("证书暂停");
    await mirrored(await send("AllianceRegistry", "revokeCertification", [doctor.address, revokeReason], op));
    expect(await prisma.doctorCertification.findUniqueOrThrow({ where: { doctor: doctor.address } })).toMatchObject({
      revoked: true,
      revokeReason: lower(revokeReason),
    });

    // Certified again (break-glass below needs it): the row is replaced.
    const again = await send("AllianceRegistry", "certifyDoctor", [doctor.address, credentialHash, department, expiresAt], op);
    await mirrored(again);
    expect(await prisma.doctorCertification.findUniqueOrThrow({ where: { doctor: doctor.address } })).toMatchObject({
      revoked: false,
      revokeReason: null,
      issuedAt: await blockTime(again),
      blockNumber: again.blockNumber,
    });

    // An admin that comes and goes (owner only).
    const temp = Wallet.createRandom();
    await mirrored(await send("AllianceRegistry", "addAdmin", [temp.address]));
    expect(await prisma.allianceAdmin.findUnique({ where: { address: temp.address } })).not.toBeNull();
    await mirrored(await send("AllianceRegistry", "removeAdmin", [temp.address]));
    expect(await prisma.allianceAdmin.findUnique({ where: { address: temp.address } })).toBeNull();
    expect((await prisma.allianceAdmin.findMany()).map((a) => a.address)).toEqual([stack.admin.address]);
  });

  it("EmrRegistry: RecordUpdated (versions 1 and 2) and RecordDeleted", async () => {
    const { prisma } = ctx();
    const emr = domain("EmrRegistry");
    const v1 = await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordA } });
    expect(v1).toMatchObject({ version: 1, patient: patient.address, doctor: doctor.address, hospital: hospital.address, deleted: false });

    const update = {
      recordId: recordA,
      version: 2,
      doctor: doctor.address,
      contentHash: h32("content v2"),
      fieldsRoot: h32("fields v2"),
      storagePointer: `emr/${recordA}/v2`,
      reasonHash: h32("补充化验结果"),
    };
    const sp = signing();
    const dn = randomNonce();
    const patientSig = await sign(patient.wallet, emrUpdateTypedData(emr, { ...update, nonce: sp.nonce, deadline: sp.deadline }));
    const doctorSig = await sign(doctor.wallet, emrUpdateTypedData(emr, { ...update, nonce: dn, deadline: sp.deadline }));
    const updated = await send(
      "EmrRegistry",
      "updateRecord",
      [recordA, doctor.address, update.contentHash, update.fieldsRoot, update.storagePointer, update.reasonHash, sp.nonce, dn, sp.deadline, patientSig, doctorSig],
      op,
    );
    await mirrored(updated);
    const versions = await prisma.emrRecordVersion.findMany({ where: { recordId: recordA }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]).toMatchObject({ contentHash: v1.contentHash, fieldsRoot: v1.fieldsRoot, storagePointer: v1.storagePointer, reasonHash: ZeroHash });
    expect(versions[1]).toMatchObject({
      doctor: doctor.address,
      hospital: hospital.address,
      contentHash: lower(update.contentHash),
      fieldsRoot: lower(update.fieldsRoot),
      storagePointer: update.storagePointer,
      reasonHash: lower(update.reasonHash),
      txHash: updated.transactionHash,
      blockNumber: updated.blockNumber,
      writtenAt: await blockTime(updated),
    });
    expect(await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordA } })).toMatchObject({
      version: 2,
      contentHash: lower(update.contentHash),
      fieldsRoot: lower(update.fieldsRoot),
      storagePointer: update.storagePointer,
      createdAt: v1.createdAt,
      deleted: false,
    });

    const deleteReason = h32("患者要求删除");
    const sd = signing();
    const delSig = await sign(patient.wallet, emrDeletionTypedData(emr, { recordId: recordB, reasonHash: deleteReason, ...sd }));
    await mirrored(await send("EmrRegistry", "deleteRecord", [recordB, deleteReason, sd.nonce, sd.deadline, delSig]));
    expect(await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordB } })).toMatchObject({ deleted: true, deleteReason: lower(deleteReason), version: 1 });
    expect(await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordA } })).toMatchObject({ deleted: false, deleteReason: null });
    expect(await prisma.emrRecordVersion.count({ where: { recordId: recordB } })).toBe(1);
  });

  it("PatientDelegation and complaints: DelegationGranted, ComplaintFiled (by the delegate), DelegationRevoked", async () => {
    const { prisma } = ctx();
    const guardian = Wallet.createRandom();
    const validFrom = BigInt(Date.now() - 1_000);
    const validUntil = validFrom + 30n * 86_400_000n;
    const sg = signing();
    const grantSig = await sign(
      patient.wallet,
      delegationTypedData(domain("PatientDelegation"), { patient: patient.address, delegate: guardian.address, scopes: 7, validFrom, validUntil, ...sg }),
    );
    await mirrored(await send("PatientDelegation", "delegate", [patient.address, guardian.address, 7, validFrom, validUntil, sg.nonce, sg.deadline, grantSig]));
    const key = { patient_delegate: { patient: patient.address, delegate: guardian.address } };
    expect(await prisma.delegation.findUniqueOrThrow({ where: key })).toMatchObject({ scopes: 7, validFrom, validUntil, revoked: false });

    const subject = h32(`hospital:${hospital2.address}`);
    const evidenceHash = h32("投诉材料");
    const sc = signing();
    const complaintSig = await sign(
      guardian,
      complaintTypedData(domain("ConsentManager"), { patient: patient.address, subject, evidenceHash, ...sc }),
    );
    const filed = await send("ConsentManager", "fileComplaint", [patient.address, subject, evidenceHash, sc.nonce, sc.deadline, guardian.address, complaintSig]);
    await mirrored(filed);
    expect(await prisma.complaint.findMany()).toEqual([
      expect.objectContaining({
        complaintId: 1,
        patient: patient.address,
        subject: lower(subject),
        evidenceHash: lower(evidenceHash),
        signer: guardian.address,
        filedAt: await blockTime(filed),
      }),
    ]);

    const sr = signing();
    const revokeSig = await sign(
      patient.wallet,
      delegationRevocationTypedData(domain("PatientDelegation"), { patient: patient.address, delegate: guardian.address, ...sr }),
    );
    await mirrored(await send("PatientDelegation", "revokeDelegation", [patient.address, guardian.address, sr.nonce, sr.deadline, revokeSig]));
    expect(await prisma.delegation.findUniqueOrThrow({ where: key })).toMatchObject({ scopes: 7, revoked: true });
  });

  it("ConsentManager: RecordClassified, AccessGranted/Revoked, AccessRequested (granted and denied), Blacklisted, BlacklistLifted", async () => {
    const { prisma } = ctx();
    const consent = domain("ConsentManager");
    const category = categoryOf("心内科");
    await mirrored(await send("ConsentManager", "classifyRecord", [recordA, category], op));
    expect((await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordA } })).category).toBe(lower(category));
    expect((await prisma.emrRecord.findUniqueOrThrow({ where: { recordId: recordB } })).category).toBeNull();

    // At most 2 denials per hour (owner = the alliance's account).
    await mirrored(await send("ConsentManager", "setBlacklistPolicy", [2, 3_600_000]));

    const expiresAt = BigInt(Date.now() + 7 * 86_400_000);
    const grant = async (scope: string, scopeKind: number, grantee: string, level: number) => {
      const s = signing();
      const sig = await sign(
        patient.wallet,
        grantTypedData(consent, { patient: patient.address, scope, scopeKind, grantee, level, expiresAt, ...s }),
      );
      return send("ConsentManager", "grant", [patient.address, scope, scopeKind, grantee, level, expiresAt, s.nonce, s.deadline, patient.address, sig]);
    };
    const recordGrant = grantIdOf(patient.address, recordA, hospital2.address);
    const categoryGrant = grantIdOf(patient.address, category, hospital.address);
    await grant(recordA, 1, hospital2.address, 2);
    await mirrored(await grant(category, 2, hospital.address, 1));
    expect(await prisma.consentGrant.findMany({ orderBy: { blockNumber: "asc" } })).toEqual([
      expect.objectContaining({ grantId: recordGrant, patient: patient.address, grantee: hospital2.address, scope: recordA, scopeKind: 1, level: 2, expiresAt, revoked: false, signer: patient.address }),
      expect.objectContaining({ grantId: categoryGrant, patient: patient.address, grantee: hospital.address, scope: lower(category), scopeKind: 2, level: 1, expiresAt, revoked: false, signer: patient.address }),
    ]);

    const purpose = h32("会诊");
    await send("ConsentManager", "requestAccess", [recordA, purpose], op2); // record grant → 1
    await mirrored(await send("ConsentManager", "requestAccess", [recordA, purpose], op)); // category grant → 2

    const sr = signing();
    const revokeSig = await sign(
      patient.wallet,
      revocationTypedData(consent, { patient: patient.address, scope: recordA, grantee: hospital2.address, ...sr }),
    );
    await mirrored(await send("ConsentManager", "revoke", [patient.address, recordA, hospital2.address, sr.nonce, sr.deadline, patient.address, revokeSig]));
    expect(await prisma.consentGrant.findUniqueOrThrow({ where: { grantId: recordGrant } })).toMatchObject({ revoked: true, level: 2 });
    expect(await prisma.consentGrant.findUniqueOrThrow({ where: { grantId: categoryGrant } })).toMatchObject({ revoked: false });

    const firstDenial = await send("ConsentManager", "requestAccess", [recordB, purpose], op2); // deleted → 13
    const secondDenial = await send("ConsentManager", "requestAccess", [recordA, purpose], op2); // no grant → 10, blacklisted
    expect(ctx().chain.contracts.ConsentManager.decodeLogs(secondDenial).map((e) => e.name)).toEqual(["AccessRequested", "Blacklisted"]);
    await mirrored(await send("ConsentManager", "requestAccess", [recordA, purpose], op2)); // blacklisted → 12
    const requests = await prisma.accessRequest.findMany({ orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
    expect(requests.map((r) => ({ recordId: r.recordId, requester: r.requester, patient: r.patient, granted: r.granted, reason: r.reason, level: r.level, purposeHash: r.purposeHash }))).toEqual([
      { recordId: recordA, requester: hospital2.address, patient: patient.address, granted: true, reason: 1, level: 2, purposeHash: lower(purpose) },
      { recordId: recordA, requester: hospital.address, patient: patient.address, granted: true, reason: 2, level: 1, purposeHash: lower(purpose) },
      { recordId: recordB, requester: hospital2.address, patient: patient.address, granted: false, reason: 13, level: 0, purposeHash: lower(purpose) },
      { recordId: recordA, requester: hospital2.address, patient: patient.address, granted: false, reason: 10, level: 0, purposeHash: lower(purpose) },
      { recordId: recordA, requester: hospital2.address, patient: patient.address, granted: false, reason: 12, level: 0, purposeHash: lower(purpose) },
    ]);
    expect(await prisma.blacklistEntry.findMany()).toEqual([
      expect.objectContaining({
        requester: hospital2.address,
        denied: 2,
        windowStart: await blockTime(firstDenial),
        listedAt: await blockTime(secondDenial),
        liftedAt: null,
        liftedBy: null,
        blockNumber: secondDenial.blockNumber,
      }),
    ]);

    const sl = signing();
    const liftSig = await sign(stack.admin, blacklistLiftTypedData(consent, { requester: hospital2.address, ...sl }));
    const lifted = await send("ConsentManager", "liftBlacklist", [hospital2.address, sl.nonce, sl.deadline, liftSig]);
    await mirrored(lifted);
    expect(await prisma.blacklistEntry.findUniqueOrThrow({ where: { requester: hospital2.address } })).toMatchObject({
      denied: 2,
      liftedAt: await blockTime(lifted),
      liftedBy: stack.admin.address,
    });

    // Shared again, for the contribution points below: the same grant id, no longer revoked.
    await mirrored(await grant(recordA, 1, hospital2.address, 2));
    expect(await prisma.consentGrant.findUniqueOrThrow({ where: { grantId: recordGrant } })).toMatchObject({ revoked: false, level: 2, scopeKind: 1 });
    expect(await prisma.consentGrant.count()).toBe(2);
  });

  it("EmergencyAccess: EmergencyAccessed by a certified doctor, EmergencyReviewed by an admin, RateLimitSet", async () => {
    const { prisma, chain } = ctx();
    expect(await chain.contracts.AllianceRegistry.call("isCertified", [doctor.address])).toBe(true);
    await mirrored(await send("EmergencyAccess", "setRateLimit", [3, 86_400_000]));
    const justification = h32("患者昏迷，需查既往史");
    const sb = signing();
    const sig = await sign(
      doctor.wallet,
      emergencyAccessTypedData(domain("EmergencyAccess"), { recordId: recordA, reasonCode: 2, justificationHash: justification, ...sb }),
    );
    const accessed = await send("EmergencyAccess", "breakGlass", [recordA, doctor.address, 2, justification, sb.nonce, sb.deadline, sig], op);
    await mirrored(accessed);
    expect(await prisma.emergencyAccessEntry.findMany()).toEqual([
      expect.objectContaining({
        accessId: 1,
        recordId: recordA,
        doctor: doctor.address,
        patient: patient.address,
        hospital: hospital.address,
        reasonCode: 2,
        justificationHash: lower(justification),
        accessedAt: await blockTime(accessed),
        reviewOutcome: null,
        reviewedBy: null,
      }),
    ]);

    const sv = signing();
    const reviewSig = await sign(stack.admin, emergencyReviewTypedData(domain("EmergencyAccess"), { accessId: 1n, outcome: 1, ...sv }));
    await mirrored(await send("EmergencyAccess", "reviewEmergency", [1, 1, sv.nonce, sv.deadline, reviewSig]));
    expect(await prisma.emergencyAccessEntry.findUniqueOrThrow({ where: { accessId: 1 } })).toMatchObject({ reviewOutcome: 1, reviewedBy: stack.admin.address });
  });

  let visitId: string;

  it("CareProcess: VisitOpened, StepRecorded for every step, VisitFinished", async () => {
    const { prisma } = ctx();
    const care = domain("CareProcess");
    visitId = visitIdOf(patient.address, hospital.address, Date.now());
    const so = signing();
    const openSig = await sign(
      patient.wallet,
      visitOpeningTypedData(care, { visitId, patient: patient.address, hospital: hospital.address, ...so }),
    );
    const opened = await send("CareProcess", "openVisit", [visitId, patient.address, so.nonce, so.deadline, openSig], op);
    await mirrored(opened);
    expect(await prisma.visit.findUniqueOrThrow({ where: { visitId } })).toMatchObject({
      patient: patient.address,
      hospital: hospital.address,
      lastStep: 0,
      finished: false,
      openedAt: await blockTime(opened),
      finishedAt: null,
    });

    // 挂号 → 取号 → 门诊 → 化验 → 缴费拿药 (admitted: continues) → 住院 → 出院.
    let last!: TransactionReceipt;
    for (const step of [1, 2, 3, 4, 5, 6, 7]) {
      const contentHash = h32(`step ${step}`);
      const continues = step === 5;
      const ss = signing();
      const sig = await sign(doctor.wallet, careStepTypedData(care, { visitId, step, contentHash, continues, ...ss }));
      last = await send("CareProcess", "recordStep", [visitId, step, doctor.address, contentHash, continues, ss.nonce, ss.deadline, sig], op);
    }
    expect(ctx().chain.contracts.CareProcess.decodeLogs(last).map((e) => e.name)).toEqual(["StepRecorded", "VisitFinished"]);
    await mirrored(last);
    const steps = await prisma.visitStep.findMany({ where: { visitId }, orderBy: { step: "asc" } });
    expect(steps.map((s) => ({ step: s.step, doctor: s.doctor, contentHash: s.contentHash }))).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((step) => ({ step, doctor: doctor.address, contentHash: lower(h32(`step ${step}`)) })),
    );
    expect(await prisma.visit.findUniqueOrThrow({ where: { visitId } })).toMatchObject({ lastStep: 7, finished: true, finishedAt: await blockTime(last) });
  });

  it("HospitalScore: ScoreInitialized, ScoreAdjusted (+ and −), FeedbackGiven", async () => {
    const { prisma, chain } = ctx();
    const score = domain("HospitalScore");
    await send("HospitalScore", "initialize", [hospital.address]);
    const adjust = async (reasonCode: number, delta: bigint, evidence: string) => {
      const s = signing();
      const evidenceHash = h32(evidence);
      const sig = await sign(stack.admin, scoreAdjustmentTypedData(score, { hospital: hospital.address, reasonCode, delta, evidenceHash, ...s }));
      return send("HospitalScore", "adjust", [hospital.address, reasonCode, delta, evidenceHash, s.nonce, s.deadline, sig]);
    };
    await adjust(2, 50n, "疑难病例救治");
    await adjust(1, -30n, "误诊");
    const sf = signing();
    const commentHash = h32("服务很好");
    const feedbackSig = await sign(patient.wallet, feedbackTypedData(score, { visitId, rating: 5, commentHash, ...sf }));
    const fed = await send("HospitalScore", "feedback", [visitId, 5, commentHash, sf.nonce, sf.deadline, feedbackSig]);
    await mirrored(fed);

    expect(await prisma.hospitalScore.findUniqueOrThrow({ where: { hospital: hospital.address } })).toMatchObject({
      score: 822,
      level: 3,
      feedbackCount: 1,
      ratingSum: 5,
    });
    const onChain = await chain.contracts.HospitalScore.call<{ score: bigint }>("scoreOf", [hospital.address]);
    expect(onChain.score).toBe(822n);
    const events = await prisma.scoreEvent.findMany({ where: { hospital: hospital.address }, orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
    expect(events.map((e) => ({ kind: e.kind, reasonCode: e.reasonCode, delta: e.delta, score: e.score, actor: e.actor, visitId: e.visitId, rating: e.rating }))).toEqual([
      { kind: "initial", reasonCode: null, delta: 800, score: 800, actor: null, visitId: null, rating: null },
      { kind: "adjustment", reasonCode: 2, delta: 50, score: 850, actor: stack.admin.address, visitId: null, rating: null },
      { kind: "adjustment", reasonCode: 1, delta: -30, score: 820, actor: stack.admin.address, visitId: null, rating: null },
      { kind: "feedback", reasonCode: null, delta: 2, score: 822, actor: patient.address, visitId: lower(visitId), rating: 5 },
    ]);
    expect(events[1]!.evidenceHash).toBe(lower(h32("疑难病例救治")));
    expect(await prisma.hospitalScore.count()).toBe(1);
  });

  it("ContributionPoints: RecordRated and PointsSettled match sdk pointsTenths", async () => {
    const { prisma, chain } = ctx();
    const share = await chain.contracts.ConsentManager.call<bigint>("shareOf", [recordA]);
    expect(share).toBe(3n); // hospital2 at level 2 (record grant) + hospital at level 1 (category grant)
    const rated = await send("ContributionPoints", "rate", [recordA, 2, 3], op2);
    await mirrored(rated);
    expect(await prisma.recordRating.findMany()).toEqual([
      expect.objectContaining({ recordId: recordA, hospital: hospital2.address, valueLevel: 2, rarityLevel: 3, ratedAt: await blockTime(rated) }),
    ]);

    const settled = await send("ContributionPoints", "settle", [recordA]);
    await mirrored(settled);
    const expected = pointsTenths(share, 2, 3);
    expect(expected).toBe(164n);
    expect(await prisma.recordPoints.findUniqueOrThrow({ where: { recordId: recordA } })).toMatchObject({
      patient: patient.address,
      share: 3,
      valueLevel: 2,
      rarityLevel: 3,
      pointsTenths: expected,
      settledAt: await blockTime(settled),
    });
    expect(await prisma.patientPoints.findUniqueOrThrow({ where: { patient: patient.address } })).toMatchObject({
      totalTenths: expected,
      tier: tierOf(expected).tier,
    });
    const onChain = await chain.contracts.ContributionPoints.call<{ totalTenths: bigint }>("pointsOf", [patient.address]);
    expect(onChain.totalTenths).toBe(expected);
  });

  it("ResearchAllocation: ProjectCreated → ProjectMemberAdded → InputsCommitted → AllocationRecorded → ProjectFinalized", async () => {
    const { prisma } = ctx();
    const research = domain("ResearchAllocation");
    const projectId = h32("project: 心血管队列研究");
    const descriptionHash = h32("心血管队列研究 描述");
    const inputsHash = h32("v(S) for every coalition");
    const adminSig = (td: Signable) => sign(stack.admin, td);

    let s = signing();
    await send("ResearchAllocation", "createProject", [projectId, 1000, descriptionHash, s.nonce, s.deadline, await adminSig(researchAction.create(research, { projectId, total: 1000, descriptionHash, ...s }))]);
    for (const h of [hospital.address, hospital2.address]) {
      s = signing();
      await send("ResearchAllocation", "addMember", [projectId, h, s.nonce, s.deadline, await adminSig(researchAction.addMember(research, { projectId, hospital: h, ...s }))]);
    }
    s = signing();
    await send("ResearchAllocation", "commitInputs", [projectId, inputsHash, s.nonce, s.deadline, await adminSig(researchAction.commitInputs(research, { projectId, inputsHash, ...s }))]);
    for (const [h, amount] of [
      [hospital.address, 600],
      [hospital2.address, 400],
    ] as const) {
      s = signing();
      await send("ResearchAllocation", "allocate", [projectId, h, amount, s.nonce, s.deadline, await adminSig(researchAction.allocate(research, { projectId, hospital: h, amount, ...s }))]);
    }
    s = signing();
    const finalized = await send("ResearchAllocation", "finalize", [projectId, s.nonce, s.deadline, await adminSig(researchAction.finalize(research, { projectId, ...s }))]);
    await mirrored(finalized);

    expect(await prisma.researchProject.findMany()).toEqual([
      expect.objectContaining({ projectId: lower(projectId), total: "1000", descriptionHash: lower(descriptionHash), inputsHash: lower(inputsHash), finalized: true }),
    ]);
    const allocations = await prisma.researchAllocationRow.findMany({ where: { projectId: lower(projectId) }, orderBy: { amount: "desc" } });
    expect(allocations.map((a) => ({ hospital: a.hospital, amount: a.amount }))).toEqual([
      { hospital: hospital.address, amount: "600" },
      { hospital: hospital2.address, amount: "400" },
    ]);
  });

  it("chain_events holds each log our contracts emitted, once, and nothing else", async () => {
    const { prisma, chain, indexer } = ctx();
    const head = await chain.client.blockNumber();
    await indexer.waitForBlock(head);

    // A fresh scan: every receipt of every block, decoded by the contract that emitted each log, with the
    // log's position in its block (the indexer's log_index).
    const scanned: string[] = [];
    for (let n = 1; n <= head; n++) {
      let logIndex = 0;
      for (const receipt of await chain.client.receiptsOfBlock(n)) {
        for (const name of decodeReceipt(receipt)) {
          const index = logIndex++;
          if (name) scanned.push(`${n}:${index}:${name}:${receipt.transactionHash}`);
        }
      }
    }
    const rows = await prisma.chainEvent.findMany({ orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
    expect(new Set(rows.map((r) => `${r.blockNumber}:${r.logIndex}`)).size).toBe(rows.length);
    expect(rows.map((r) => `${r.blockNumber}:${r.logIndex}:${r.contract}.${r.name}:${r.txHash}`)).toEqual(scanned);

    // The logs of the receipts this file got are all there, under their transaction.
    let ours = 0;
    for (const receipt of receipts) {
      const decoded = decodeReceipt(receipt).filter((n): n is string => n !== null);
      expect(decoded.length, receipt.transactionHash).toBeGreaterThan(0);
      ours += decoded.length;
      const mirroredNames = rows.filter((r) => r.txHash === receipt.transactionHash).map((r) => `${r.contract}.${r.name}`);
      expect(mirroredNames).toEqual(decoded);
    }
    // The rest: the deployment (the first admin, the EMR registry told its delegation contract) and the
    // API-driven steps (four applications and four decisions, two records written).
    const ourTx = new Set(receipts.map((r) => r.transactionHash));
    const others = rows.filter((r) => !ourTx.has(r.txHash)).map((r) => `${r.contract}.${r.name}`);
    expect(others.sort()).toEqual(
      [
        "AllianceRegistry.AdminAdded",
        "EmrRegistry.DelegationSet",
        ...Array<string>(4).fill("AllianceRegistry.MemberApplied"),
        ...Array<string>(4).fill("AllianceRegistry.MemberDecided"),
        ...Array<string>(2).fill("EmrRegistry.RecordWritten"),
      ].sort(),
    );
    expect(rows.length).toBe(ours + others.length);

    // Every event any of the nine contracts declares was emitted and mirrored at least once.
    const declared = new Set<string>();
    for (const h of Object.values(chain.contracts)) h.interface.forEachEvent((e) => declared.add(`${h.contractName}.${e.name}`));
    expect([...new Set(rows.map((r) => `${r.contract}.${r.name}`))].sort()).toEqual([...declared].sort());
  });

  it("replaying every block from block 1 changes no mirror table", async () => {
    const { prisma, chain, indexer } = ctx();
    const head = await chain.client.blockNumber();
    await indexer.waitForBlock(head);
    const before = await mirrorSnapshot();
    const block1 = (await chain.client.blockByNumber(1))!;
    await prisma.indexerCursor.update({ where: { id: "main" }, data: { blockNumber: 1, blockHash: block1.hash } });
    for (let i = 0; i < 10; i++) {
      await indexer.tick();
      if ((await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } })).blockNumber >= head) break;
    }
    expect((await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } })).blockNumber).toBe(head);
    expect(indexer.status()).toMatchObject({ lastError: null, rebuilds: 0 });
    const after = await mirrorSnapshot();
    const counts = (s: typeof before) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length]));
    expect(counts(after)).toEqual(counts(before));
    expect(after).toEqual(before);
  });
});
