/**
 * The score's rules as the portal needs them, from `@yyl/sdk` (sdk/src/hospital-score.ts mirrors
 * contracts/src/HospitalScore.sol): the adjustment reasons with their sign rule, the check the
 * contract applies to (reason, delta), the clamped move for the dialog's preview, and the EIP-712
 * `ScoreAdjustment` the alliance admin signs.
 */
import {
  SCORE_MAX,
  SCORE_MAX_DELTA,
  SCORE_MIN,
  SCORE_REASONS,
  checkAdjustment,
  moveScore,
  scoreAdjustmentTypedData,
  type ScoreReasonInfo,
  type TypedData,
} from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import { stamped, type Stamp } from "./stamp";

export { SCORE_MAX, SCORE_MAX_DELTA, SCORE_MIN, SCORE_REASONS, checkAdjustment, moveScore };
export type { ScoreReasonInfo };

/** The evidence's hash as the server computes it (keccak256 of its UTF-8 text). */
export const evidenceHashOf = (evidence: string) => keccak256(toUtf8Bytes(evidence));

/** `ScoreAdjustment` in the HospitalScore domain, signed by an alliance admin. */
export function adjustmentData(
  s: Stamp,
  m: { hospital: string; reasonCode: number; delta: number; evidence: string },
): TypedData {
  return stamped("HospitalScore", s, scoreAdjustmentTypedData, {
    hospital: m.hospital,
    reasonCode: m.reasonCode,
    delta: m.delta,
    evidenceHash: evidenceHashOf(m.evidence),
  });
}

/** A reason's or a level's name in the portal's language. */
export const localName = (n: { zh: string; en: string } | null | undefined, locale: string): string =>
  n ? (locale === "en-US" ? n.en : n.zh) : "";

/** A delta with its sign: +20, −30, 0. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");
