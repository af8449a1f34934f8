import { randomUUID } from "node:crypto";
import {
  domainOf,
  emrAuthorizationTypedData,
  emrUpdateTypedData,
  randomNonce,
  reasonHashOf,
  recordIdOf,
  typedDataToJson,
  verifyTypedSignature,
  type RecordKeyWrap,
} from "@yyl/sdk";
import { getAddress } from "ethers";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { sendTx } from "../chain/chain.ts";
import type { EmrDraft } from "../generated/prisma/client.ts";
import { ApiError, badRequest, conflict, notFound } from "../http/errors.ts";
import { keepText } from "../evidence/texts.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";
import { findRecord } from "./records.ts";
import { readersOf, type RecordReaderSet } from "../keys/readers.ts";
import { checkSealedContent, wrapRows, wrapsFor, type SealedContent } from "../keys/wraps.ts";

/** How long the two signers have to sign a draft before it must be drafted again. */
export const DRAFT_VALIDITY_MS = 7 * 24 * 3600_000;

/** What each signer of a draft signs: EmrAuthorization for a new record, EmrUpdate for a new version.
 *  Both the patient (or a co-signing guardian, with the same nonce value from their own nonce space)
 *  and the doctor sign the same message but for their own nonce. */
export function emrTypedData(ctx: AppContext, d: EmrDraft, signer: "patient" | "doctor") {
  const domain = domainOf("EmrRegistry", ctx.chain.deployment.chainId, ctx.chain.emr.address);
  const nonce = signer === "patient" ? d.patientNonce : d.doctorNonce;
  if (d.kind === "update") {
    return emrUpdateTypedData(domain, {
      recordId: d.recordId,
      version: d.version,
      doctor: d.doctor,
      contentHash: d.contentHash,
      fieldsRoot: d.fieldsRoot,
      storagePointer: d.storagePointer,
      reasonHash: reasonHashOf(d.reason),
      nonce,
      deadline: d.deadline,
    });
  }
  return emrAuthorizationTypedData(domain, {
    recordId: d.recordId,
    patient: d.patient,
    doctor: d.doctor,
    hospital: d.hospital,
    contentHash: d.contentHash,
    fieldsRoot: d.fieldsRoot,
    storagePointer: d.storagePointer,
    createdAt: d.createdAt,
    nonce,
    deadline: d.deadline,
  });
}

export const emrTypedDataJson = (ctx: AppContext, d: EmrDraft, signer: "patient" | "doctor") =>
  typedDataToJson(emrTypedData(ctx, d, signer));

/** How far a new record's `createdAt` (which fixes its id) may be from the server's clock. */
export const CREATED_AT_DRIFT_MS = 10 * 60_000;

export async function createDraft(
  ctx: AppContext,
  session: Session,
  input: { patient: string; title: string; createdAt: number; content: SealedContent },
): Promise<EmrDraft> {
  const { prisma } = ctx;
  const patient = await prisma.member.findUnique({ where: { address: input.patient } });
  if (!patient || patient.role !== ROLE_CODES.patient || patient.status !== STATUS_APPROVED) {
    throw badRequest("patient is not an approved patient", [
      { path: "patient", message: "not an approved patient" },
    ]);
  }
  const hospital = session.member?.hospital;
  if (!hospital) throw conflict("the doctor has no hospital on record");
  if (Math.abs(input.createdAt - Date.now()) > CREATED_AT_DRIFT_MS) {
    throw badRequest("createdAt is too far from now", [
      { path: "createdAt", message: `must be within ${CREATED_AT_DRIFT_MS / 60_000} minutes of the server's clock` },
    ]);
  }
  const recordId = recordIdOf(input.createdAt, input.patient);
  if (await prisma.emrDraft.findUnique({ where: { recordId_version: { recordId, version: 1 } } }))
    throw conflict("a record with this id (patient and createdAt) is already drafted");
  const readers = await readersOf(ctx, { patient: input.patient, author: session.address });
  const { draft, blob, wraps } = await sealedDraft(session, {
    recordId,
    content: input.content,
    readers,
    storagePointer: `emr-blob:${recordId}:1`,
    title: input.title,
    now: input.createdAt,
  });
  const [, , created] = await prisma.$transaction([
    prisma.emrBlob.create({ data: blob }),
    prisma.emrKeyWrap.createMany({ data: wraps }),
    prisma.emrDraft.create({
      data: { ...draft, patient: input.patient, doctor: session.address, hospital },
    }),
  ]);
  return created;
}

/**
 * A new draft's sealed content checked for its readers and kept under `storagePointer`, and the
 * draft's starting state: awaiting the patient's signature, with fresh nonces for both signers,
 * signable for DRAFT_VALIDITY_MS from `now`. Who it is for and by, and what kind of draft it is, the
 * caller adds.
 */
export async function sealedDraft(
  session: Session,
  d: { recordId: string; content: SealedContent; readers: RecordReaderSet; storagePointer: string; title: string; now: number },
) {
  const contentHash = await checkSealedContent(d.content, d.readers);
  const draft = {
    id: randomUUID(),
    recordId: d.recordId,
    title: d.title,
    createdAt: BigInt(d.now),
    deadline: BigInt(Date.now() + DRAFT_VALIDITY_MS),
    contentHash,
    fieldsRoot: d.content.fieldsRoot,
    storagePointer: d.storagePointer,
    patientNonce: randomNonce(),
    doctorNonce: randomNonce(),
    status: "awaiting-patient",
    updatedAt: BigInt(Date.now()),
  };
  const blob = {
    storagePointer: d.storagePointer,
    recordId: d.recordId,
    envelope: d.content.envelope,
    title: d.title,
    createdAt: BigInt(d.now),
  };
  const wraps = wrapRows(d.storagePointer, d.content.wraps as RecordKeyWrap[], session.address);
  return { draft, blob, wraps };
}

/** `expected`: who may sign for that side (the patient, or also the guardian co-signing for them). */
function checkSignature(
  ctx: AppContext,
  d: EmrDraft,
  signer: "patient" | "doctor",
  signature: string,
  expected: readonly string[],
): void {
  if (Number(d.deadline) <= Date.now())
    throw new ApiError(409, "DRAFT_EXPIRED", "the draft's signing deadline has passed");
  let recovered: string;
  try {
    recovered = getAddress(verifyTypedSignature(emrTypedData(ctx, d, signer), signature));
  } catch {
    throw badRequest("signature is malformed", [{ path: "signature", message: "cannot recover a signer" }]);
  }
  if (!expected.includes(recovered)) {
    throw badRequest(`signature is not the ${signer}'s`, [
      { path: "signature", message: `signed by ${recovered}, expected ${expected.join(" or ")}` },
    ]);
  }
}

/** The patient, or their guardian (`cosigner`, already authorized as a delegate), co-signs; the
 *  contract checks that a guardian's delegation carries the co-sign scope. */
export async function cosignDraft(
  ctx: AppContext,
  d: EmrDraft,
  signature: string,
  cosigner: string,
): Promise<EmrDraft> {
  if (d.status !== "awaiting-patient") throw conflict(`draft is ${d.status}, not awaiting the patient`);
  checkSignature(ctx, d, "patient", signature, [...new Set([d.patient, cosigner])]);
  const claimed = await ctx.prisma.emrDraft.updateMany({
    where: { id: d.id, status: "awaiting-patient" },
    data: { patientSig: signature, status: "awaiting-doctor", updatedAt: BigInt(Date.now()) },
  });
  if (claimed.count !== 1) throw conflict("draft was signed meanwhile");
  return ctx.prisma.emrDraft.findUniqueOrThrow({ where: { id: d.id } });
}

/** The doctor's signature completes the pair; the doctor's hospital account sends the record to the chain. */
export async function signAndSubmit(ctx: AppContext, d: EmrDraft, signature: string): Promise<EmrDraft> {
  const { prisma, chain } = ctx;
  if (d.status !== "awaiting-doctor") throw conflict(`draft is ${d.status}, not awaiting the doctor`);
  checkSignature(ctx, d, "doctor", signature, [d.doctor]);
  if (d.kind === "update") await checkUpdateBase(ctx, d);
  const hospital = await prisma.member.findUnique({ where: { address: d.hospital } });
  if (!hospital?.operator) throw conflict("the doctor's hospital has no operator account on chain");
  const claimed = await prisma.emrDraft.updateMany({
    where: { id: d.id, status: "awaiting-doctor" },
    data: { doctorSig: signature, status: "submitted", updatedAt: BigInt(Date.now()) },
  });
  if (claimed.count !== 1) throw conflict("draft was submitted meanwhile");
  try {
    const [fn, args] =
      d.kind === "update"
        ? ([
            "updateRecord",
            [
              d.recordId,
              d.doctor,
              d.contentHash,
              d.fieldsRoot,
              d.storagePointer,
              reasonHashOf(d.reason),
              d.patientNonce,
              d.doctorNonce,
              d.deadline,
              d.patientSig,
              signature,
            ],
          ] as const)
        : ([
            "writeRecord",
            [
              d.recordId,
              d.patient,
              d.doctor,
              d.contentHash,
              d.fieldsRoot,
              d.storagePointer,
              d.createdAt,
              d.patientNonce,
              d.doctorNonce,
              d.deadline,
              d.patientSig,
              signature,
            ],
          ] as const);
    const receipt = await sendTx(() => chain.emr.send(fn, args, { user: hospital.operator! }));
    await prisma.emrDraft.update({
      where: { id: d.id },
      data: { txHash: receipt.transactionHash, updatedAt: BigInt(Date.now()) },
    });
    await ctx.indexer.waitForBlock(receipt.blockNumber);
  } catch (e) {
    const failure = e instanceof ApiError ? `${e.code}: ${e.message}` : (e as Error).message;
    await prisma.emrDraft.update({
      where: { id: d.id },
      data: { status: "failed", failure: failure.slice(0, 500), updatedAt: BigInt(Date.now()) },
    });
    throw e;
  }
  // The indexer marked the draft on chain; an update's reason is kept so that history shows it.
  if (d.kind === "update") await keepText(ctx, "record-reason", d.reason!, d.doctor);
  return prisma.emrDraft.findUniqueOrThrow({ where: { id: d.id } });
}

/** An update can only follow the version it was drafted on, of a record not deleted. */
async function checkUpdateBase(ctx: AppContext, d: EmrDraft): Promise<void> {
  const record = await findRecord(ctx, d.recordId);
  if (record.deleted)
    throw new ApiError(409, "RECORD_DELETED", "the record was deleted; it can no longer be corrected");
  if (record.version !== d.version - 1) {
    throw new ApiError(
      409,
      "VERSION_MOVED_ON",
      `the record is at version ${record.version}; this draft was made for version ${d.version - 1}`,
    );
  }
}

export async function findDraft(ctx: AppContext, id: string): Promise<EmrDraft> {
  const d = await ctx.prisma.emrDraft.findUnique({ where: { id } });
  if (!d) throw notFound("draft");
  return d;
}

/** A version's ciphertext with the wraps the caller can open (403 NO_KEY_FOR_READER when none). */
export async function sealedContentFor(ctx: AppContext, session: Session, storagePointer: string, version: number) {
  const blob = await ctx.prisma.emrBlob.findUnique({ where: { storagePointer } });
  if (!blob) throw notFound("record content");
  const wraps = await wrapsFor(ctx, session, storagePointer, version);
  return { envelope: blob.envelope, wraps };
}
