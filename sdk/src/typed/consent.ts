/**
 * EIP-712 typed data and constants of patient delegation, consent and break-glass access,
 * docs/contracts.md §PatientDelegation, §ConsentManager and §EmergencyAccess. Same conventions as
 * `../eip712.ts`: domain `{name, version:"1", chainId, verifyingContract}` with `name` =
 * "PatientDelegation" / "ConsentManager" / "EmergencyAccess" and `chainId` the deploy-time constructor
 * argument. The types are registered in `./registry.ts`, so the shared `signTypedData`,
 * `verifyTypedSignature`, `typedDataToJson` and `typedDataFromJson` serve them.
 */
import { getAddress, keccak256, toUtf8Bytes, type TypedDataField } from "ethers";
import { domainOf, type BigNumberish, type Eip712Domain, type TypedData } from "../eip712.ts";
import { ZERO_HASH, bytes32, checkVerifyingContract, typedDataOf, uint256, uint8 } from "./build.ts";

// ---- constants -----------------------------------------------------------------------------------

/** Delegation scopes (bit mask). */
export const DELEGATION_SCOPE = { grant: 1, cosign: 2, complaint: 4 } as const;
export const DELEGATION_ALL_SCOPES = 7;

/** Grant scope kinds. */
export const SCOPE_KIND = { record: 1, category: 2 } as const;
/** Grant levels. */
export const GRANT_LEVEL = { view: 1, research: 2 } as const;

/** Reasons in `AccessRequested`. */
export const ACCESS_REASON = {
  recordGrant: 1,
  categoryGrant: 2,
  noGrant: 10,
  expired: 11,
  blacklisted: 12,
  deleted: 13,
} as const;

/** Break-glass reason codes. */
export const EMERGENCY_REASON = { unconscious: 1, lifeThreatening: 2, other: 3 } as const;
/** Review outcomes of a break-glass access. */
export const EMERGENCY_OUTCOME = { justified: 1, abusive: 2 } as const;

/** Policy defaults (owner-settable on chain). */
export const BLACKLIST_DEFAULTS = { maxDenied: 5, windowMs: 86_400_000 } as const;
export const EMERGENCY_RATE_DEFAULTS = { maxPerWindow: 3, windowMs: 86_400_000 } as const;

/** A category scope: keccak256("category:<name>"). */
export function categoryOf(name: string): string {
  return keccak256(toUtf8Bytes(`category:${name}`));
}

/** grantId = keccak256(abi.encode(patient, scope, grantee)). */
export function grantIdOf(patient: string, scope: string, grantee: string): string {
  const pad = (h: string): string => h.toLowerCase().replace(/^0x/, "").padStart(64, "0");
  return keccak256("0x" + pad(getAddress(patient)) + pad(bytes32(scope, "scope")) + pad(getAddress(grantee)));
}

// ---- types ---------------------------------------------------------------------------------------

export const PATIENT_DELEGATION_NAME = "PatientDelegation";
export const CONSENT_MANAGER_NAME = "ConsentManager";
export const EMERGENCY_ACCESS_NAME = "EmergencyAccess";

export const DELEGATION_TYPES = {
  Delegation: [
    { name: "patient", type: "address" },
    { name: "delegate", type: "address" },
    { name: "scopes", type: "uint8" },
    { name: "validFrom", type: "uint256" },
    { name: "validUntil", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const DELEGATION_REVOCATION_TYPES = {
  DelegationRevocation: [
    { name: "patient", type: "address" },
    { name: "delegate", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const GRANT_TYPES = {
  Grant: [
    { name: "patient", type: "address" },
    { name: "scope", type: "bytes32" },
    { name: "scopeKind", type: "uint8" },
    { name: "grantee", type: "address" },
    { name: "level", type: "uint8" },
    { name: "expiresAt", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const REVOCATION_TYPES = {
  Revocation: [
    { name: "patient", type: "address" },
    { name: "scope", type: "bytes32" },
    { name: "grantee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const BLACKLIST_LIFT_TYPES = {
  BlacklistLift: [
    { name: "requester", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const COMPLAINT_TYPES = {
  Complaint: [
    { name: "patient", type: "address" },
    { name: "subject", type: "bytes32" },
    { name: "evidenceHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const EMERGENCY_ACCESS_TYPES = {
  EmergencyAccess: [
    { name: "recordId", type: "bytes32" },
    { name: "reasonCode", type: "uint8" },
    { name: "justificationHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const EMERGENCY_REVIEW_TYPES = {
  EmergencyReview: [
    { name: "accessId", type: "uint256" },
    { name: "outcome", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** All eight, keyed by primary type (registered in `./registry.ts`). */
export const CONSENT_EIP712_TYPES = {
  ...DELEGATION_TYPES,
  ...DELEGATION_REVOCATION_TYPES,
  ...GRANT_TYPES,
  ...REVOCATION_TYPES,
  ...BLACKLIST_LIFT_TYPES,
  ...COMPLAINT_TYPES,
  ...EMERGENCY_ACCESS_TYPES,
  ...EMERGENCY_REVIEW_TYPES,
} as const;
export type ConsentPrimaryType = keyof typeof CONSENT_EIP712_TYPES;

/** The contract (domain name) that verifies each primary type. */
export const CONSENT_CONTRACT_OF: Readonly<Record<ConsentPrimaryType, string>> = Object.freeze({
  Delegation: PATIENT_DELEGATION_NAME,
  DelegationRevocation: PATIENT_DELEGATION_NAME,
  Grant: CONSENT_MANAGER_NAME,
  Revocation: CONSENT_MANAGER_NAME,
  BlacklistLift: CONSENT_MANAGER_NAME,
  Complaint: CONSENT_MANAGER_NAME,
  EmergencyAccess: EMERGENCY_ACCESS_NAME,
  EmergencyReview: EMERGENCY_ACCESS_NAME,
});

export interface DelegationMessage extends Record<string, unknown> {
  patient: string;
  delegate: string;
  scopes: number;
  validFrom: bigint;
  validUntil: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface DelegationRevocationMessage extends Record<string, unknown> {
  patient: string;
  delegate: string;
  nonce: bigint;
  deadline: bigint;
}

export interface GrantMessage extends Record<string, unknown> {
  patient: string;
  scope: string;
  scopeKind: number;
  grantee: string;
  level: number;
  expiresAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface RevocationMessage extends Record<string, unknown> {
  patient: string;
  scope: string;
  grantee: string;
  nonce: bigint;
  deadline: bigint;
}

export interface BlacklistLiftMessage extends Record<string, unknown> {
  requester: string;
  nonce: bigint;
  deadline: bigint;
}

export interface ComplaintMessage extends Record<string, unknown> {
  patient: string;
  subject: string;
  evidenceHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface EmergencyAccessMessage extends Record<string, unknown> {
  recordId: string;
  reasonCode: number;
  justificationHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface EmergencyReviewMessage extends Record<string, unknown> {
  accessId: bigint;
  outcome: number;
  nonce: bigint;
  deadline: bigint;
}

/** Consent typed data is refused at build time in a domain other than its verifying contract's. */
function build<P extends ConsentPrimaryType, M extends Record<string, unknown>>(
  domain: Eip712Domain,
  primaryType: P,
  message: M,
): TypedData<M, P> {
  checkVerifyingContract(primaryType, CONSENT_CONTRACT_OF[primaryType], domain.name);
  return typedDataOf(domain, primaryType, CONSENT_EIP712_TYPES[primaryType], message);
}

// ---- domains -------------------------------------------------------------------------------------

export function patientDelegationDomain(chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return domainOf(PATIENT_DELEGATION_NAME, chainId, verifyingContract);
}

export function consentManagerDomain(chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return domainOf(CONSENT_MANAGER_NAME, chainId, verifyingContract);
}

export function emergencyAccessDomain(chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return domainOf(EMERGENCY_ACCESS_NAME, chainId, verifyingContract);
}

// ---- builders ------------------------------------------------------------------------------------

/** `Delegation(address patient,address delegate,uint8 scopes,uint256 validFrom,uint256 validUntil,uint256 nonce,uint256 deadline)`, signed by the patient. */
export function delegationTypedData(
  domain: Eip712Domain,
  m: {
    patient: string;
    delegate: string;
    scopes: number;
    validFrom: BigNumberish;
    validUntil: BigNumberish;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<DelegationMessage, "Delegation"> {
  return build(domain, "Delegation", {
    patient: getAddress(m.patient),
    delegate: getAddress(m.delegate),
    scopes: uint8(m.scopes, "scopes"),
    validFrom: uint256(m.validFrom, "validFrom"),
    validUntil: uint256(m.validUntil, "validUntil"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `DelegationRevocation(address patient,address delegate,uint256 nonce,uint256 deadline)`, signed by the patient. */
export function delegationRevocationTypedData(
  domain: Eip712Domain,
  m: { patient: string; delegate: string; nonce: BigNumberish; deadline: BigNumberish },
): TypedData<DelegationRevocationMessage, "DelegationRevocation"> {
  return build(domain, "DelegationRevocation", {
    patient: getAddress(m.patient),
    delegate: getAddress(m.delegate),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `Grant(address patient,bytes32 scope,uint8 scopeKind,address grantee,uint8 level,uint256 expiresAt,uint256 nonce,uint256 deadline)`, signed by the patient or a delegate with scope 1. */
export function grantTypedData(
  domain: Eip712Domain,
  m: {
    patient: string;
    scope: string | Uint8Array;
    scopeKind: number;
    grantee: string;
    level: number;
    expiresAt: BigNumberish;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<GrantMessage, "Grant"> {
  return build(domain, "Grant", {
    patient: getAddress(m.patient),
    scope: bytes32(m.scope, "scope"),
    scopeKind: uint8(m.scopeKind, "scopeKind"),
    grantee: getAddress(m.grantee),
    level: uint8(m.level, "level"),
    expiresAt: uint256(m.expiresAt, "expiresAt"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `Revocation(address patient,bytes32 scope,address grantee,uint256 nonce,uint256 deadline)`, signed by the patient or a delegate with scope 1. */
export function revocationTypedData(
  domain: Eip712Domain,
  m: {
    patient: string;
    scope: string | Uint8Array;
    grantee: string;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<RevocationMessage, "Revocation"> {
  return build(domain, "Revocation", {
    patient: getAddress(m.patient),
    scope: bytes32(m.scope, "scope"),
    grantee: getAddress(m.grantee),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `BlacklistLift(address requester,uint256 nonce,uint256 deadline)`, signed by an alliance admin. */
export function blacklistLiftTypedData(
  domain: Eip712Domain,
  m: { requester: string; nonce: BigNumberish; deadline: BigNumberish },
): TypedData<BlacklistLiftMessage, "BlacklistLift"> {
  return build(domain, "BlacklistLift", {
    requester: getAddress(m.requester),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `Complaint(address patient,bytes32 subject,bytes32 evidenceHash,uint256 nonce,uint256 deadline)`, signed by the patient or a delegate with scope 4. */
export function complaintTypedData(
  domain: Eip712Domain,
  m: {
    patient: string;
    subject: string | Uint8Array;
    evidenceHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<ComplaintMessage, "Complaint"> {
  return build(domain, "Complaint", {
    patient: getAddress(m.patient),
    subject: bytes32(m.subject, "subject"),
    evidenceHash: bytes32(m.evidenceHash, "evidenceHash"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `EmergencyAccess(bytes32 recordId,uint8 reasonCode,bytes32 justificationHash,uint256 nonce,uint256 deadline)`, signed by the doctor. */
export function emergencyAccessTypedData(
  domain: Eip712Domain,
  m: {
    recordId: string | Uint8Array;
    reasonCode: number;
    justificationHash?: string | Uint8Array | null;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<EmergencyAccessMessage, "EmergencyAccess"> {
  return build(domain, "EmergencyAccess", {
    recordId: bytes32(m.recordId, "recordId"),
    reasonCode: uint8(m.reasonCode, "reasonCode"),
    justificationHash: bytes32(m.justificationHash || ZERO_HASH, "justificationHash"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}

/** `EmergencyReview(uint256 accessId,uint8 outcome,uint256 nonce,uint256 deadline)`, signed by an alliance admin. */
export function emergencyReviewTypedData(
  domain: Eip712Domain,
  m: { accessId: BigNumberish; outcome: number; nonce: BigNumberish; deadline: BigNumberish },
): TypedData<EmergencyReviewMessage, "EmergencyReview"> {
  return build(domain, "EmergencyReview", {
    accessId: uint256(m.accessId, "accessId"),
    outcome: uint8(m.outcome, "outcome"),
    nonce: uint256(m.nonce, "nonce"),
    deadline: uint256(m.deadline, "deadline"),
  });
}
