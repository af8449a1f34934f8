/**
 * EIP-712 typed data of 医元疗 (docs/interfaces.md): domain `{name, version:"1", chainId,
 * verifyingContract}` where `name` is the contract name and `chainId` the deploy-time constructor
 * argument (not the CHAINID opcode).
 */
import { getAddress, hexlify, verifyTypedData, type TypedDataField } from "ethers";
import { ZERO_ADDRESS, bytes32, typedDataOf, uint8 } from "./typed/build.ts";
import type { PrimaryType } from "./typed/registry.ts";

export const ROLE = { patient: 1, doctor: 2, hospital: 3 } as const;
export const STATUS = { none: 0, pending: 1, approved: 2, rejected: 3, revoked: 4 } as const;
export const DECISION = { approve: 1, reject: 2, revoke: 3 } as const;
export type Role = (typeof ROLE)[keyof typeof ROLE];
export type Status = (typeof STATUS)[keyof typeof STATUS];
export type Decision = (typeof DECISION)[keyof typeof DECISION];

export const EIP712_VERSION = "1";

export interface Eip712Domain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}

export type BigNumberish = bigint | number | string;

/** The domain of a contract (`name` = contract name, version "1"). */
export function domainOf(name: string, chainId: BigNumberish, verifyingContract: string): Eip712Domain {
  return {
    name,
    version: EIP712_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: getAddress(verifyingContract),
  };
}

export const APPLICATION_TYPES = {
  Application: [
    { name: "applicant", type: "address" },
    { name: "role", type: "uint8" },
    { name: "hospital", type: "address" },
    { name: "profileHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const DECISION_TYPES = {
  Decision: [
    { name: "member", type: "address" },
    { name: "decision", type: "uint8" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const EMR_AUTHORIZATION_TYPES = {
  EmrAuthorization: [
    { name: "recordId", type: "bytes32" },
    { name: "patient", type: "address" },
    { name: "doctor", type: "address" },
    { name: "hospital", type: "address" },
    { name: "contentHash", type: "bytes32" },
    { name: "fieldsRoot", type: "bytes32" },
    { name: "storagePointer", type: "string" },
    { name: "createdAt", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const EMR_UPDATE_TYPES = {
  EmrUpdate: [
    { name: "recordId", type: "bytes32" },
    { name: "version", type: "uint256" },
    { name: "doctor", type: "address" },
    { name: "contentHash", type: "bytes32" },
    { name: "fieldsRoot", type: "bytes32" },
    { name: "storagePointer", type: "string" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const EMR_DELETION_TYPES = {
  EmrDeletion: [
    { name: "recordId", type: "bytes32" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

export const HOSPITAL_LEVEL_TYPES = {
  HospitalLevel: [
    { name: "hospital", type: "address" },
    { name: "level", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/**
 * The registries' types (AllianceRegistry, EmrRegistry), keyed by primary type; one group of the
 * sdk-wide registry `EIP712_TYPES` in typed/registry.ts.
 */
export const CORE_EIP712_TYPES = {
  ...APPLICATION_TYPES,
  ...DECISION_TYPES,
  ...EMR_AUTHORIZATION_TYPES,
  ...EMR_UPDATE_TYPES,
  ...EMR_DELETION_TYPES,
  ...HOSPITAL_LEVEL_TYPES,
} as const;

/**
 * `{domain, types, primaryType, message}` of any registered primary type; `types` holds only the primary
 * type (no EIP712Domain). `P` is bounded by the registry so that a builder whose primary type was never
 * registered (and so could not be read back by `typedDataFromJson`) does not compile.
 */
export interface TypedData<
  M extends Record<string, unknown> = Record<string, unknown>,
  P extends PrimaryType = PrimaryType,
> {
  domain: Eip712Domain;
  types: Record<string, TypedDataField[]>;
  primaryType: P;
  message: M;
}

export interface ApplicationMessage extends Record<string, unknown> {
  applicant: string;
  role: number;
  hospital: string;
  profileHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface DecisionMessage extends Record<string, unknown> {
  member: string;
  decision: number;
  reasonHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface EmrAuthorizationMessage extends Record<string, unknown> {
  recordId: string;
  patient: string;
  doctor: string;
  hospital: string;
  contentHash: string;
  fieldsRoot: string;
  storagePointer: string;
  createdAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface EmrUpdateMessage extends Record<string, unknown> {
  recordId: string;
  version: bigint;
  doctor: string;
  contentHash: string;
  fieldsRoot: string;
  storagePointer: string;
  reasonHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface EmrDeletionMessage extends Record<string, unknown> {
  recordId: string;
  reasonHash: string;
  nonce: bigint;
  deadline: bigint;
}

export interface HospitalLevelMessage extends Record<string, unknown> {
  hospital: string;
  level: number;
  nonce: bigint;
  deadline: bigint;
}

/** `Application(address applicant,uint8 role,address hospital,bytes32 profileHash,uint256 nonce,uint256 deadline)`. */
export function applicationTypedData(
  domain: Eip712Domain,
  m: {
    applicant: string;
    role: number;
    hospital?: string | null;
    profileHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<ApplicationMessage, "Application"> {
  return typedDataOf(domain, "Application", APPLICATION_TYPES.Application, {
    applicant: getAddress(m.applicant),
    role: uint8(m.role, "role"),
    hospital: getAddress(m.hospital || ZERO_ADDRESS),
    profileHash: bytes32(m.profileHash, "profileHash"),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/** `Decision(address member,uint8 decision,bytes32 reasonHash,uint256 nonce,uint256 deadline)`. */
export function decisionTypedData(
  domain: Eip712Domain,
  m: {
    member: string;
    decision: number;
    reasonHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<DecisionMessage, "Decision"> {
  return typedDataOf(domain, "Decision", DECISION_TYPES.Decision, {
    member: getAddress(m.member),
    decision: uint8(m.decision, "decision"),
    reasonHash: bytes32(m.reasonHash, "reasonHash"),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/**
 * `EmrAuthorization(bytes32 recordId,address patient,address doctor,address hospital,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,uint256 createdAt,uint256 nonce,uint256 deadline)`.
 * `fieldsRoot` is the Merkle root of the record's FHIR fields (`fieldsRootOf` in `merkle.ts`).
 */
export function emrAuthorizationTypedData(
  domain: Eip712Domain,
  m: {
    recordId: string | Uint8Array;
    patient: string;
    doctor: string;
    hospital: string;
    contentHash: string | Uint8Array;
    fieldsRoot: string | Uint8Array;
    storagePointer: string;
    createdAt: BigNumberish;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<EmrAuthorizationMessage, "EmrAuthorization"> {
  return typedDataOf(domain, "EmrAuthorization", EMR_AUTHORIZATION_TYPES.EmrAuthorization, {
    recordId: bytes32(m.recordId, "recordId"),
    patient: getAddress(m.patient),
    doctor: getAddress(m.doctor),
    hospital: getAddress(m.hospital),
    contentHash: bytes32(m.contentHash, "contentHash"),
    fieldsRoot: bytes32(m.fieldsRoot, "fieldsRoot"),
    storagePointer: m.storagePointer,
    createdAt: BigInt(m.createdAt),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/**
 * `EmrUpdate(bytes32 recordId,uint256 version,address doctor,bytes32 contentHash,bytes32 fieldsRoot,string storagePointer,bytes32 reasonHash,uint256 nonce,uint256 deadline)`:
 * signed by the patient (or a co-signing delegate) and by the doctor; `version` = the record's
 * current version + 1.
 */
export function emrUpdateTypedData(
  domain: Eip712Domain,
  m: {
    recordId: string | Uint8Array;
    version: BigNumberish;
    doctor: string;
    contentHash: string | Uint8Array;
    fieldsRoot: string | Uint8Array;
    storagePointer: string;
    reasonHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<EmrUpdateMessage, "EmrUpdate"> {
  return typedDataOf(domain, "EmrUpdate", EMR_UPDATE_TYPES.EmrUpdate, {
    recordId: bytes32(m.recordId, "recordId"),
    version: BigInt(m.version),
    doctor: getAddress(m.doctor),
    contentHash: bytes32(m.contentHash, "contentHash"),
    fieldsRoot: bytes32(m.fieldsRoot, "fieldsRoot"),
    storagePointer: m.storagePointer,
    reasonHash: bytes32(m.reasonHash, "reasonHash"),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/** `EmrDeletion(bytes32 recordId,bytes32 reasonHash,uint256 nonce,uint256 deadline)`: signed by the patient (or a co-signing delegate). */
export function emrDeletionTypedData(
  domain: Eip712Domain,
  m: {
    recordId: string | Uint8Array;
    reasonHash: string | Uint8Array;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<EmrDeletionMessage, "EmrDeletion"> {
  return typedDataOf(domain, "EmrDeletion", EMR_DELETION_TYPES.EmrDeletion, {
    recordId: bytes32(m.recordId, "recordId"),
    reasonHash: bytes32(m.reasonHash, "reasonHash"),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/** `HospitalLevel(address hospital,uint8 level,uint256 nonce,uint256 deadline)` (AllianceRegistry): signed by an admin. */
export function hospitalLevelTypedData(
  domain: Eip712Domain,
  m: {
    hospital: string;
    level: number;
    nonce: BigNumberish;
    deadline: BigNumberish;
  },
): TypedData<HospitalLevelMessage, "HospitalLevel"> {
  return typedDataOf(domain, "HospitalLevel", HOSPITAL_LEVEL_TYPES.HospitalLevel, {
    hospital: getAddress(m.hospital),
    level: uint8(m.level, "level"),
    nonce: BigInt(m.nonce),
    deadline: BigInt(m.deadline),
  });
}

/** Replaces bigints by decimal strings, deeply. */
export type JsonSafe<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? JsonSafe<U>[]
    : T extends object
      ? { [K in keyof T]: JsonSafe<T[K]> }
      : T;

export function jsonSafe<T>(v: T): JsonSafe<T> {
  if (typeof v === "bigint") return v.toString() as JsonSafe<T>;
  if (Array.isArray(v)) return v.map(jsonSafe) as JsonSafe<T>;
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x);
    return out as JsonSafe<T>;
  }
  return v as JsonSafe<T>;
}

/**
 * The JSON-transport form of any typed-data object (bigints → decimal strings). The way back,
 * `typedDataFromJson`, lives in typed/registry.ts: it must know every primary type's fields.
 */
export function typedDataToJson<T extends TypedData>(td: T): JsonSafe<T> {
  return jsonSafe(td);
}

/** Recovers the signer of a signature over any typed data (checksummed address). Accepts the JSON-safe form too. */
export function verifyTypedSignature(td: TypedData | JsonSafe<TypedData>, signature: string): string {
  const { EIP712Domain: _d, ...types } = td.types as Record<string, TypedDataField[]>;
  void _d;
  return verifyTypedData(
    td.domain as unknown as Record<string, unknown>,
    types,
    td.message as Record<string, unknown>,
    signature,
  );
}

/** A fresh 256-bit nonce as a decimal string (crypto.getRandomValues). */
export function randomNonce(): string {
  const b = new Uint8Array(32);
  globalThis.crypto.getRandomValues(b);
  return BigInt(hexlify(b)).toString();
}
