/**
 * The sdk's builders for what patients, doctors and alliance admins sign about who may read records:
 * grants and their revocation, guardians, complaints, break-glass access, its review and lifting a
 * blacklisting. Kept beside `./sdk.ts` (the portal's door to `@yyl/sdk`) so pages import them from one
 * place; each takes the stamp `useSigning().signFor` hands it (domain, nonce, deadline) and
 * passes it on through `stamped`.
 */
import {
  DELEGATION_SCOPE,
  EMERGENCY_OUTCOME,
  EMERGENCY_REASON,
  GRANT_LEVEL,
  SCOPE_KIND,
  blacklistLiftTypedData,
  categoryOf,
  complaintTypedData,
  delegationRevocationTypedData,
  delegationTypedData,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
  grantTypedData,
  revocationTypedData,
  type TypedData,
} from "@yyl/sdk";
import { ZeroHash, keccak256, toUtf8Bytes, zeroPadValue } from "ethers";
import { stamped, type Stamp } from "./stamp";

export type GrantLevel = keyof typeof GRANT_LEVEL;
export type DelegationScope = keyof typeof DELEGATION_SCOPE;
export type EmergencyOutcome = keyof typeof EMERGENCY_OUTCOME;
export const DELEGATION_SCOPES = Object.keys(DELEGATION_SCOPE) as DelegationScope[];
/** Break-glass reasons by code: 1 unconscious, 2 life-threatening, 3 other (needs a justification). */
export const EMERGENCY_REASONS = [
  { code: EMERGENCY_REASON.unconscious, name: "unconscious" },
  { code: EMERGENCY_REASON.lifeThreatening, name: "life-threatening" },
  { code: EMERGENCY_REASON.other, name: "other" },
] as const;
export type EmergencyReasonCode = (typeof EMERGENCY_REASONS)[number]["code"];
export const OTHER_REASON = EMERGENCY_REASON.other;

/** The hash of a text kept off chain (evidence, justification), as the server computes it. */
export function textHash(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** A grant's scope: the record id, or keccak256("category:<name>"). */
export type GrantScope = { kind: "record"; recordId: string } | { kind: "category"; category: string };

export function scopeOf(s: GrantScope): { scope: string; scopeKind: number } {
  return s.kind === "record"
    ? { scope: s.recordId, scopeKind: SCOPE_KIND.record }
    : { scope: categoryOf(s.category), scopeKind: SCOPE_KIND.category };
}

/** Grant (ConsentManager), signed by the patient or their guardian. */
export function grantData(
  d: Stamp,
  m: { patient: string; scope: GrantScope; grantee: string; level: GrantLevel; expiresAt: number },
): TypedData {
  return stamped("ConsentManager", d, grantTypedData, {
    patient: m.patient,
    ...scopeOf(m.scope),
    grantee: m.grantee,
    level: GRANT_LEVEL[m.level],
    expiresAt: m.expiresAt,
  });
}

/** Revocation (ConsentManager) of the grant on `scope` (as stored: record id or category hash). */
export function revocationData(d: Stamp, m: { patient: string; scope: string; grantee: string }): TypedData {
  return stamped("ConsentManager", d, revocationTypedData, m);
}

export function scopeMaskOf(scopes: readonly DelegationScope[]): number {
  return scopes.reduce((mask, s) => mask | DELEGATION_SCOPE[s], 0);
}

/** Delegation (PatientDelegation), signed by the patient naming a guardian. */
export function delegationData(
  d: Stamp,
  m: {
    patient: string;
    delegate: string;
    scopes: readonly DelegationScope[];
    validFrom: number;
    validUntil: number;
  },
): TypedData {
  return stamped("PatientDelegation", d, delegationTypedData, {
    patient: m.patient,
    delegate: m.delegate,
    scopes: scopeMaskOf(m.scopes),
    validFrom: m.validFrom,
    validUntil: m.validUntil,
  });
}

export function delegationRevocationData(d: Stamp, m: { patient: string; delegate: string }): TypedData {
  return stamped("PatientDelegation", d, delegationRevocationTypedData, m);
}

/** A complaint's subject on chain: a member's address left-padded to 32 bytes, or a record id. */
export function complaintSubject(s: { address: string } | { recordId: string }): string {
  return "address" in s ? zeroPadValue(s.address, 32).toLowerCase() : s.recordId;
}

/** Complaint (ConsentManager), with the evidence's hash; the text itself stays off chain. */
export function complaintData(
  d: Stamp,
  m: { patient: string; subject: { address: string } | { recordId: string }; evidence: string },
): TypedData {
  return stamped("ConsentManager", d, complaintTypedData, {
    patient: m.patient,
    subject: complaintSubject(m.subject),
    evidenceHash: textHash(m.evidence),
  });
}

/** EmergencyAccess, signed by the doctor; without a justification its hash is zero. */
export function emergencyAccessData(
  d: Stamp,
  m: { recordId: string; reasonCode: number; justification?: string },
): TypedData {
  return stamped("EmergencyAccess", d, emergencyAccessTypedData, {
    recordId: m.recordId,
    reasonCode: m.reasonCode,
    justificationHash: m.justification ? textHash(m.justification) : ZeroHash,
  });
}

/** EmergencyReview, signed by an alliance admin: the access was justified, or abusive. */
export function emergencyReviewData(d: Stamp, m: { accessId: number; outcome: EmergencyOutcome }): TypedData {
  return stamped("EmergencyAccess", d, emergencyReviewTypedData, {
    accessId: m.accessId,
    outcome: EMERGENCY_OUTCOME[m.outcome],
  });
}

/** BlacklistLift (ConsentManager), signed by an alliance admin. */
export function blacklistLiftData(d: Stamp, m: { requester: string }): TypedData {
  return stamped("ConsentManager", d, blacklistLiftTypedData, {
    requester: m.requester,
  });
}
