/**
 * EIP-712 typed data of 医元疗 (docs/interfaces.md): domain `{name, version:"1", chainId,
 * verifyingContract}` where `name` is the contract name and `chainId` the deploy-time constructor
 * argument (not the CHAINID opcode).
 */
import { getAddress, hexlify, verifyTypedData, type TypedDataField } from "ethers";

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

/** The registries' types, keyed by primary type. */
export const EIP712_TYPES = {
  ...APPLICATION_TYPES,
  ...DECISION_TYPES,
  ...EMR_AUTHORIZATION_TYPES,
  ...EMR_UPDATE_TYPES,
  ...EMR_DELETION_TYPES,
  ...HOSPITAL_LEVEL_TYPES,
} as const;
export type PrimaryType = keyof typeof EIP712_TYPES;

/** `{domain, types, primaryType, message}`; `types` holds only the primary type (no EIP712Domain). */
export interface TypedData<M extends Record<string, unknown> = Record<string, unknown>, D = Eip712Domain> {
  domain: D;
  types: Record<string, TypedDataField[]>;
  primaryType: PrimaryType;
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

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

function bytes32(v: string | Uint8Array, what: string): string {
  const h = typeof v === "string" ? v.toLowerCase() : hexlify(v);
  if (!/^0x[0-9a-f]{64}$/.test(h)) throw new TypeError(`${what}: expected 32 bytes hex, got ${h}`);
  return h;
}

function uint8(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new TypeError(`${what}: not a uint8: ${v}`);
  return v;
}

function copyTypes<T extends Record<string, readonly TypedDataField[]>>(
  t: T,
): Record<string, TypedDataField[]> {
  const out: Record<string, TypedDataField[]> = {};
  for (const [k, v] of Object.entries(t)) out[k] = v.map((f) => ({ name: f.name, type: f.type }));
  return out;
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
): TypedData<ApplicationMessage> {
  return {
    domain,
    types: copyTypes(APPLICATION_TYPES),
    primaryType: "Application",
    message: {
      applicant: getAddress(m.applicant),
      role: uint8(m.role, "role"),
      hospital: getAddress(m.hospital || ZERO_ADDRESS),
      profileHash: bytes32(m.profileHash, "profileHash"),
      nonce: BigInt(m.nonce),
      deadline: BigInt(m.deadline),
    },
  };
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
): TypedData<DecisionMessage> {
  return {
    domain,
    types: copyTypes(DECISION_TYPES),
    primaryType: "Decision",
    message: {
      member: getAddress(m.member),
      decision: uint8(m.decision, "decision"),
      reasonHash: bytes32(m.reasonHash, "reasonHash"),
      nonce: BigInt(m.nonce),
      deadline: BigInt(m.deadline),
    },
  };
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
): TypedData<EmrAuthorizationMessage> {
  return {
    domain,
    types: copyTypes(EMR_AUTHORIZATION_TYPES),
    primaryType: "EmrAuthorization",
    message: {
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
    },
  };
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
): TypedData<EmrUpdateMessage> {
  return {
    domain,
    types: copyTypes(EMR_UPDATE_TYPES),
    primaryType: "EmrUpdate",
    message: {
      recordId: bytes32(m.recordId, "recordId"),
      version: BigInt(m.version),
      doctor: getAddress(m.doctor),
      contentHash: bytes32(m.contentHash, "contentHash"),
      fieldsRoot: bytes32(m.fieldsRoot, "fieldsRoot"),
      storagePointer: m.storagePointer,
      reasonHash: bytes32(m.reasonHash, "reasonHash"),
      nonce: BigInt(m.nonce),
      deadline: BigInt(m.deadline),
    },
  };
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
): TypedData<EmrDeletionMessage> {
  return {
    domain,
    types: copyTypes(EMR_DELETION_TYPES),
    primaryType: "EmrDeletion",
    message: {
      recordId: bytes32(m.recordId, "recordId"),
      reasonHash: bytes32(m.reasonHash, "reasonHash"),
      nonce: BigInt(m.nonce),
      deadline: BigInt(m.deadline),
    },
  };
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
): TypedData<HospitalLevelMessage> {
  return {
    domain,
    types: copyTypes(HOSPITAL_LEVEL_TYPES),
    primaryType: "HospitalLevel",
    message: {
      hospital: getAddress(m.hospital),
      level: uint8(m.level, "level"),
      nonce: BigInt(m.nonce),
      deadline: BigInt(m.deadline),
    },
  };
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

/** The JSON-transport form of a typed-data object (bigints → decimal strings). */
export function typedDataToJson<T extends TypedData>(td: T): JsonSafe<T> {
  return jsonSafe(td);
}

/**
 * Reads a typed-data object received as JSON back (uint256 fields and chainId → bigint), checking
 * that `types` matches 医元疗's definition of its primary type exactly.
 */
export function typedDataFromJson(json: unknown): TypedData {
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Partial<
    TypedData<Record<string, unknown>, Record<string, unknown>>
  >;
  if (!o || typeof o !== "object" || !o.domain || !o.types || !o.primaryType || !o.message)
    throw new TypeError("not a typed-data object");
  const expected = EIP712_TYPES[o.primaryType as PrimaryType];
  if (!expected) throw new TypeError(`unknown primaryType ${String(o.primaryType)}`);
  const { EIP712Domain: _ignored, ...rest } = o.types as Record<string, TypedDataField[]>;
  void _ignored;
  if (JSON.stringify(rest) !== JSON.stringify({ [o.primaryType]: expected }))
    throw new TypeError(`types do not match ${o.primaryType}`);
  const d = o.domain as Record<string, unknown>;
  const message: Record<string, unknown> = { ...o.message };
  for (const f of expected) {
    if (f.type === "uint256" && message[f.name] !== undefined)
      message[f.name] = BigInt(message[f.name] as BigNumberish);
  }
  return {
    domain: domainOf(String(d.name), d.chainId as BigNumberish, String(d.verifyingContract)),
    types: copyTypes({ [o.primaryType]: expected }),
    primaryType: o.primaryType as PrimaryType,
    message,
  };
}

/** Recovers the signer of a typed-data signature (checksummed address). Accepts the JSON-safe form too. */
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
