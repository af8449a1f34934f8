/** Shapes of the REST API (docs/api.md). Addresses come back checksummed; times are ms since the epoch. */

export type Address = string;
export type Hex = string;

export type SessionRole = "alliance-admin" | "regulator" | "patient" | "doctor" | "hospital" | "applicant";
export type MemberRole = "patient" | "doctor" | "hospital";
export type MemberStatus = "awaiting-hospital" | "pending" | "approved" | "rejected" | "revoked";

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface Member {
  address: Address;
  role: MemberRole;
  status: MemberStatus;
  name: string | null;
  hospital: Address | null;
  hospitalName: string | null;
  operator: Address | null;
  profileHash: Hex;
  appliedAt: number | null;
  decidedAt: number | null;
  txHash: Hex | null;
}

export interface Session {
  address: Address;
  roles: SessionRole[];
  member: Member | null;
}

export interface Challenge {
  address: Address;
  nonce: string;
  message: string;
  expiresAt: number;
}

export interface SessionResponse {
  token: string;
  expiresAt: number;
  session: Session;
}

export interface ChainInfo {
  groupId: string;
  chainId: number | string;
  blockNumber: number;
  contracts: { AllianceRegistry: Address; EmrRegistry: Address };
}

export interface Hospital {
  address: Address;
  name: string | null;
}

export type DraftStatus = "awaiting-patient" | "awaiting-doctor" | "submitted" | "on-chain" | "failed";

export interface Draft {
  id: string;
  recordId: Hex;
  patient: Address;
  doctor: Address;
  hospital: Address;
  title: string;
  createdAt: number;
  deadline: number;
  contentHash: Hex;
  storagePointer: string;
  status: DraftStatus;
  patientNonce: string | null;
  doctorNonce: string | null;
  patientSigned?: boolean;
  doctorSigned?: boolean;
  txHash: Hex | null;
  failure: string | null;
  patientName: string | null;
  doctorName: string | null;
  hospitalName: string | null;
}

export interface EmrRecord {
  recordId: Hex;
  patient: Address;
  doctor: Address;
  hospital: Address;
  title: string | null;
  contentHash: Hex;
  storagePointer: string;
  createdAt: number;
  version: number;
  blockNumber: number;
  txHash: Hex;
  writtenAt: number;
  patientName: string | null;
  doctorName: string | null;
  hospitalName: string | null;
}

/** EIP-712 typed data as the server sends it (numbers as decimal strings). */
export interface TypedDataJson {
  domain: Record<string, unknown>;
  types: Record<string, Array<{ name: string; type: string }>>;
  primaryType?: string;
  message: Record<string, unknown>;
}

/** A FHIR R4 Bundle; the portal only reads the parts it shows. */
export interface FhirBundle {
  resourceType: "Bundle";
  type?: string;
  entry?: Array<{ fullUrl?: string; resource?: Record<string, unknown> }>;
  [key: string]: unknown;
}

/** What a draft and a record both carry about an EMR: enough to show it (see `EmrContent`). */
export type EmrSummary = Pick<
  EmrRecord,
  | "recordId"
  | "title"
  | "patient"
  | "patientName"
  | "doctor"
  | "doctorName"
  | "hospital"
  | "hospitalName"
  | "createdAt"
  | "contentHash"
  | "storagePointer"
>;

export interface DraftDetail {
  draft: Draft;
  bundle: FhirBundle;
  /** What the caller signs next; null when there is nothing for the caller to sign. */
  typedData: TypedDataJson | null;
}

export interface RecordDetail {
  record: EmrRecord;
  bundle: FhirBundle;
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  expected: string | null;
  actual: string | null;
}

export interface VerifyResult {
  recordId: Hex;
  verified: boolean;
  checks: VerifyCheck[];
  chain: {
    patient: Address;
    doctor: Address;
    hospital: Address;
    contentHash: Hex;
    storagePointer: string;
    createdAt: number | string;
    version: number | string;
  } | null;
}

export interface Health {
  status: "ok" | "degraded";
  db: unknown;
  chain: { blockNumber: number };
  indexer: { blockNumber: number; lag: number };
}
