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
  emrDeletionTypedData,
  reasonHashOf,
  visitIdOf,
  visitOpeningTypedData,
  type TypedData,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { stamped, type Stamp } from "./stamp";

export function visitId(patient: string, hospital: string, openedAt: number): string {
  return visitIdOf(patient, hospital, openedAt);
}

/** VisitOpening, signed by the patient; the visit id is derived from patient, hospital and opening time. */
export function visitOpeningData(
  s: Stamp,
  m: { patient: string; hospital: string; openedAt: number },
): TypedData {
  return stamped("CareProcess", s, visitOpeningTypedData, {
    visitId: visitIdOf(m.patient, m.hospital, m.openedAt),
    patient: m.patient,
    hospital: m.hospital,
  });
}

/** The content hash of a step's details, as the server computes it: keccak256 of their canonical JSON. */
export function stepContentHash(details: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(details)));
}

/** CareStep, signed by the doctor who performed the step. */
export function careStepData(
  s: Stamp,
  m: { visitId: string; step: number; details: unknown; continues: boolean },
): TypedData {
  return stamped("CareProcess", s, careStepTypedData, {
    visitId: m.visitId,
    step: m.step,
    contentHash: stepContentHash(m.details),
    continues: m.continues,
  });
}

/** EmrDeletion, signed by the record's patient; only the reason's hash goes on chain. */
export function deletionData(s: Stamp, m: { recordId: string; reason: string }): TypedData {
  return stamped("EmrRegistry", s, emrDeletionTypedData, {
    recordId: m.recordId,
    reasonHash: reasonHashOf(m.reason),
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
