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
  /** Contract name → address (every deployed contract; the portal signs for several). */
  contracts: { AllianceRegistry: Address; EmrRegistry: Address; [name: string]: Address };
}

export interface Hospital {
  address: Address;
  name: string | null;
}

export type DraftStatus = "awaiting-patient" | "awaiting-doctor" | "submitted" | "on-chain" | "failed";
/** write: a new record; update: a correction, the record's next version. */
export type DraftKind = "write" | "update";

export interface Draft {
  id: string;
  recordId: Hex;
  kind: DraftKind;
  /** The version this draft becomes on chain (1 for a new record). */
  version: number;
  /** Why the record is corrected (updates only). */
  reason: string | null;
  fieldsRoot: Hex;
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
  /** Deleted by its patient: the content is no longer served, the history stays. */
  deleted: boolean;
  category: Hex | null;
  categoryName: string | null;
  fieldsRoot: Hex;
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
  /** What the mirror or the off-chain store holds. */
  mirror: string | null;
  /** The reference: the chain's value, or one recomputed from data hashed on chain. */
  chain: string | null;
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

/** One version of a record (1 = the first write, then one per correction). */
export interface RecordVersion {
  recordId: Hex;
  version: number;
  title: string | null;
  doctor: Address;
  doctorName: string | null;
  /** The hospital of the doctor who signed this version. */
  hospital: Address;
  hospitalName: string | null;
  contentHash: Hex;
  fieldsRoot: Hex;
  storagePointer: string;
  /** keccak256 of the reason for the change (zero for version 1). */
  reasonHash: Hex;
  /** The reason's text, when it was given through the API. */
  reason: string | null;
  writtenAt: number;
  txHash: Hex;
  blockNumber: number;
}

/** A record's history: its versions (a page), the record, and its deletion if it was deleted. */
export interface RecordHistory extends Page<RecordVersion> {
  record: EmrRecord;
  deletion: { reasonHash: Hex; reason: string | null } | null;
}

export interface RecordVersionDetail {
  record: EmrRecord;
  version: RecordVersion;
  bundle: FhirBundle;
}

/** A step of the care process as the server names it (1 挂号 … 7 出院). */
export interface CareStepRef {
  step: number;
  zh: string;
  en: string;
  optional: boolean;
}

export interface Visit {
  visitId: Hex;
  patient: Address;
  patientName: string | null;
  hospital: Address;
  hospitalName: string | null;
  /** The last recorded step (0: none yet). */
  lastStep: number;
  finished: boolean;
  openedAt: number;
  finishedAt: number | null;
  blockNumber: number;
}

export interface VisitStep extends CareStepRef {
  doctor: Address;
  doctorName: string | null;
  /** The details as submitted (object or text); null when not kept. */
  details: unknown;
  /** Their canonical JSON, whose keccak256 is the content hash on chain. */
  detailsText: string | null;
  contentHash: Hex;
  txHash: Hex;
  at: number;
}

export interface VisitTimeline {
  visit: Visit;
  steps: VisitStep[];
  /** The steps that may be recorded next (none once finished). */
  next: CareStepRef[];
}
