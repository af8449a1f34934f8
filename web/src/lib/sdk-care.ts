/**
 * The sdk's builders for what patients and doctors sign about care and about records already on
 * chain: opening a visit, recording a care step, deleting a record. Kept beside `./sdk.ts` (the
 * portal's door to `@yyl/sdk`) so the pages import them from one place too.
 */
import {
  CARE_STEP,
  careStepOf,
  canonicalJson,
  careStepTypedData,
  domainOf,
  emrDeletionTypedData,
  reasonHashOf,
  visitIdOf,
  visitOpeningTypedData,
  type TypedData,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";

/** Where a message is verified: the chain id and the contract's address. */
export interface Domain {
  chainId: number | string;
  verifyingContract: string;
}

export function visitId(patient: string, hospital: string, openedAt: number): string {
  return visitIdOf(patient, hospital, openedAt);
}

/** VisitOpening, signed by the patient; the visit id is derived from patient, hospital and opening time. */
export function visitOpeningData(
  d: Domain,
  m: { patient: string; hospital: string; openedAt: number; nonce: string; deadline: number },
): TypedData {
  return visitOpeningTypedData(domainOf("CareProcess", d.chainId, d.verifyingContract), {
    visitId: visitIdOf(m.patient, m.hospital, m.openedAt),
    patient: m.patient,
    hospital: m.hospital,
    nonce: m.nonce,
    deadline: m.deadline,
  });
}

/** The content hash of a step's details, as the server computes it: keccak256 of their canonical JSON. */
export function stepContentHash(details: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(details)));
}

/** CareStep, signed by the doctor who performed the step. */
export function careStepData(
  d: Domain,
  m: { visitId: string; step: number; details: unknown; continues: boolean; nonce: string; deadline: number },
): TypedData {
  return careStepTypedData(domainOf("CareProcess", d.chainId, d.verifyingContract), {
    visitId: m.visitId,
    step: m.step,
    contentHash: stepContentHash(m.details),
    continues: m.continues,
    nonce: m.nonce,
    deadline: m.deadline,
  });
}

/** EmrDeletion, signed by the record's patient; only the reason's hash goes on chain. */
export function deletionData(
  d: Domain,
  m: { recordId: string; reason: string; nonce: string; deadline: number },
): TypedData {
  return emrDeletionTypedData(domainOf("EmrRegistry", d.chainId, d.verifyingContract), {
    recordId: m.recordId,
    reasonHash: reasonHashOf(m.reason),
    nonce: m.nonce,
    deadline: m.deadline,
  });
}

/** Payment and dispensing (缴费拿药): it finishes the visit unless admission follows (`continues`). */
export const PAYMENT_STEP = CARE_STEP.paymentDispensing;

/** A step's name in the portal's language ("挂号" / "registration"); "#n" for a code outside 1–7. */
export function careStepName(code: number, locale: string): string {
  const info = careStepOf(code);
  if (!info) return `#${code}`;
  return locale === "en-US" ? info.en : info.zh;
}
