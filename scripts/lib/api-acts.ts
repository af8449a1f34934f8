import {
  canonicalJson,
  canonicalPolicy,
  careStepTypedData,
  deidentifyBundle,
  encryptCounts,
  feedbackTypedData,
  grantTypedData,
  hospitalLevelTypedData,
  newExportSalt,
  paillierPublicKeyFromJson,
  policyGranteeOf,
  revocationTypedData,
  scoreAdjustmentTypedData,
  SCOPE_KIND,
  visitIdOf,
  visitOpeningTypedData,
} from "@yyl/sdk";
import { createHash } from "node:crypto";
import { keccak256, toUtf8Bytes } from "ethers";
import { ApiActor } from "./api-actor.ts";

// Signed acts through the REST API, as a person's own client performs them: build the EIP-712 data
// with the sdk, sign it with the person's key, post the fields and the signature. Used by the demo
// loader and the benchmark.

type Json = Record<string, unknown>;
const textHash = (text: string) => keccak256(toUtf8Bytes(text));

/** A patient shares one record with a grantee (a hospital or a person) until `expiresAt`, and then,
 *  as the portal does, gives the grantee the keys of the record's versions. */
export async function grantRecord(
  patient: ApiActor,
  recordId: string,
  grantee: string,
  level: "view" | "research",
  expiresAt: number,
  policy?: string,
): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = grantTypedData(await patient.domain("ConsentManager"), {
    patient: patient.address,
    scope: recordId,
    scopeKind: SCOPE_KIND.record,
    grantee,
    level: level === "view" ? 1 : 2,
    expiresAt,
    nonce,
    deadline,
  });
  const made = await patient.request("POST", "/consent/grants", {
    patient: patient.address,
    scope: { kind: "record", recordId },
    grantee,
    policy,
    level,
    expiresAt,
    nonce,
    deadline,
    signature: await patient.sign(typed),
  });
  await patient.shareKeys(recordId, grantee);
  return made;
}

/** A patient shares one record with everyone whose attested attributes satisfy a CP-ABE policy. */
export function grantRecordToPolicy(
  patient: ApiActor,
  recordId: string,
  policy: string,
  level: "view" | "research",
  expiresAt: number,
): Promise<Json> {
  return grantRecord(patient, recordId, policyGranteeOf(policy), level, expiresAt, canonicalPolicy(policy));
}

/** The patient (or guardian) revokes a grant. */
export async function revokeGrant(
  signer: ApiActor,
  grant: { grantId: string; patient: string; scope: string; grantee: string },
): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = revocationTypedData(await signer.domain("ConsentManager"), {
    patient: grant.patient,
    scope: grant.scope,
    grantee: grant.grantee,
    nonce,
    deadline,
  });
  return signer.request("POST", `/consent/grants/${grant.grantId}/revocation`, {
    nonce,
    deadline,
    signature: await signer.sign(typed),
  });
}

/** An alliance admin sets a hospital's level (1 一级, 2 二级, 3 三级). */
export async function setHospitalLevel(admin: ApiActor, hospital: string, level: 1 | 2 | 3): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = hospitalLevelTypedData(await admin.domain("AllianceRegistry"), {
    hospital,
    level,
    nonce,
    deadline,
  });
  return admin.request("POST", `/members/${hospital}/level`, {
    level,
    nonce,
    deadline,
    signature: await admin.sign(typed),
  });
}

/** An alliance admin adjusts a hospital's score for a reason (1 misdiagnosis, 2 rescue, 3 pre-visit,
 *  4 post-visit service), with the evidence whose hash goes on chain. */
export async function adjustScore<T = Json>(
  admin: ApiActor,
  hospital: string,
  reasonCode: number,
  delta: number,
  evidence: string,
): Promise<T> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = scoreAdjustmentTypedData(await admin.domain("HospitalScore"), {
    hospital,
    reasonCode,
    delta,
    evidenceHash: textHash(evidence),
    nonce,
    deadline,
  });
  return admin.request<T>("POST", `/hospitals/${hospital}/score/adjustments`, {
    reasonCode,
    delta,
    evidence,
    nonce,
    deadline,
    signature: await admin.sign(typed),
  });
}

/** A patient opens a visit (挂号) at a hospital; returns the visit. */
export async function openVisit(patient: ApiActor, hospital: string): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const openedAt = Date.now();
  const visitId = visitIdOf(patient.address, hospital, openedAt);
  const typed = visitOpeningTypedData(await patient.domain("CareProcess"), {
    visitId,
    patient: patient.address,
    hospital,
    nonce,
    deadline,
  });
  return patient.request("POST", "/visits", {
    hospital,
    openedAt,
    nonce,
    deadline,
    signature: await patient.sign(typed),
  });
}

/** A doctor of the visit's hospital records the next care step with what was done. */
export async function recordStep(
  doctor: ApiActor,
  visitId: string,
  step: number,
  details: Json | string,
  continues = false,
): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const contentHash = textHash(canonicalJson(details));
  const typed = careStepTypedData(await doctor.domain("CareProcess"), {
    visitId,
    step,
    contentHash,
    continues,
    nonce,
    deadline,
  });
  return doctor.request("POST", `/visits/${visitId}/steps`, {
    step,
    details,
    continues,
    nonce,
    deadline,
    signature: await doctor.sign(typed),
  });
}

/** A patient rates a finished visit (1–5), with an optional comment. */
export async function giveFeedback(
  patient: ApiActor,
  visitId: string,
  rating: number,
  comment?: string,
): Promise<Json> {
  const { nonce, deadline } = ApiActor.freshNonce();
  const typed = feedbackTypedData(await patient.domain("HospitalScore"), {
    visitId,
    rating,
    commentHash: comment ? textHash(comment) : null,
    nonce,
    deadline,
  });
  return patient.request("POST", "/hospitals/feedback", {
    visitId,
    rating,
    comment,
    nonce,
    deadline,
    signature: await patient.sign(typed),
  });
}

/** A hospital submits its counts per diagnosis to a statistics round, encrypted in its own client
 *  under the round's Paillier public key: the server only ever receives the ciphertexts. */
export async function submitStatistics(
  hospital: ApiActor,
  roundId: number,
  counts: Record<string, number>,
): Promise<Json> {
  const round = await hospital.request<{ publicKey: { v: 1; alg: "Paillier-g=n+1"; n: string } }>(
    "GET",
    `/statistics/rounds/${roundId}`,
  );
  const encrypted = encryptCounts(paillierPublicKeyFromJson(round.publicKey), counts);
  return hospital.request("POST", `/statistics/rounds/${roundId}/submissions`, { counts: encrypted });
}

/** 0x + SHA-256 of an export salt's UTF-8 text: what the server keeps of the salt. */
export const exportSaltHash = (salt: string) =>
  `0x${createHash("sha256").update(salt, "utf8").digest("hex")}`;

/** A member hospital (or its doctor) exports records it holds level-2 grants for to a research
 *  project: it opens each record in its own client, de-identifies it under a fresh salt and uploads
 *  the result. The salt is returned to the exporter and never sent. */
export async function exportForResearch(
  exporter: ApiActor,
  projectId: string,
  records: { recordId: string; version?: number }[],
): Promise<{ export: Json; salt: string }> {
  const salt = newExportSalt();
  const uploads = [];
  for (const { recordId, version } of records) {
    const read = await exporter.readRecord<{ record: { version: number } }>(recordId, version);
    const { bundle, report } = deidentifyBundle(read.bundle as never, { salt });
    uploads.push({ recordId, version: version ?? read.record.version, bundle, report });
  }
  const created = await exporter.request("POST", `/research/projects/${projectId}/exports`, {
    saltHash: exportSaltHash(salt),
    records: uploads,
  });
  return { export: created, salt };
}
