/**
 * Who may read a patient's records and who did: grants (answered as FHIR R4 Consents, one version per
 * grant or revocation), the access log and the requests decided on chain, guardians (delegations) and
 * complaints. Every write is a message the caller signed (see `@/lib/sdk-privacy`).
 */
import { get, post } from "./client";
import type { Address, Hex, Page, PageQuery } from "./types";

/** The fields of a signed act, next to the message's own fields. */
export interface Signed {
  nonce: string;
  /** ms since the epoch */
  deadline: number;
  signature: string;
}

// ---- grants, as FHIR Consents -------------------------------------------------------------------

export type GrantState = "active" | "expired" | "revoked";
export type GrantLevelName = "view" | "research";

interface Coding {
  system: string;
  code: string;
  display?: string;
}
interface Reference {
  type?: string;
  identifier: { system: string; value: string };
}

/** The parts of a FHIR R4 Consent the portal reads (the server sends the whole resource). */
export interface Consent {
  resourceType: "Consent";
  id: string;
  meta: { versionId: string; lastUpdated: string };
  extension: Array<{
    url: string;
    valueCode?: string;
    extension?: Array<{ url: string; valueString?: string; valueUnsignedInt?: number }>;
  }>;
  identifier: Array<{ system: string; value: string }>;
  status: "active" | "inactive";
  patient: Reference;
  dateTime: string;
  performer: Reference[];
  provision: {
    type: "permit";
    period: { start: string; end: string };
    actor: Array<{ reference: Reference }>;
    action: Array<{ coding: Coding[] }>;
    class?: Coding[];
    data?: Array<{ meaning: "instance"; reference: Reference }>;
  };
}

export interface ConsentWithHash {
  consent: Consent;
  consentHash: Hex;
  /** Display names of the addresses involved, where known. */
  names: Record<Address, string>;
  /** The CP-ABE policy behind each policy grant's grantee account (absent for member grants). */
  policies?: Record<Address, string>;
}

export interface ConsentPage extends Page<Consent> {
  names: Record<Address, string>;
  /** grantee account → policy, for the policy grants on the page. */
  policies?: Record<Address, string>;
}

export interface ConsentBundle {
  resourceType: "Bundle";
  type: "history" | "collection";
  timestamp: string;
  total?: number;
  entry: Array<{ resource: Consent; response?: { status: string; etag: string; lastModified: string } }>;
}

export interface GrantQuery extends PageQuery {
  status?: GrantState;
  patient?: Address;
  grantee?: Address;
  scopeKind?: "record" | "category";
  recordId?: Hex;
  sort?: "grantedAt:desc" | "grantedAt:asc" | "expiresAt:desc" | "expiresAt:asc";
}

export interface GrantBody extends Signed {
  patient: Address;
  scope: { kind: "record"; recordId: Hex } | { kind: "category"; category: string };
  grantee: Address;
  /** A policy grant: the canonical CP-ABE policy; `grantee` is then policyGranteeOf(policy). */
  policy?: string;
  level: GrantLevelName;
  /** ms since the epoch, exclusive */
  expiresAt: number;
}

// ---- access log and on-chain requests -----------------------------------------------------------

export type AccessOutcome = "allowed" | "denied" | "failed";

export interface AccessLogEntry {
  id: string;
  at: number;
  actor: Address | null;
  actorName: string | null;
  actorRoles: string[];
  /** emr.record.read, emr.record.history, emr.emergency.open … */
  action: string;
  outcome: AccessOutcome;
  recordId: Hex;
  detail: string | null;
  /** The transaction that decided the read on chain, if it was decided there. */
  txHash: Hex | null;
}

export interface AccessLogQuery extends PageQuery {
  patient?: Address;
  recordId?: Hex;
  outcome?: AccessOutcome;
  actor?: Address;
  from?: number;
  to?: number;
}

export interface AccessRequest {
  id: string;
  recordId: Hex;
  requester: Address;
  requesterName: string | null;
  patient: Address;
  granted: boolean;
  reason: number;
  /** record-grant, category-grant, no-grant, expired, blacklisted, deleted */
  reasonName: string;
  level: number;
  purposeHash: Hex;
  at: number;
  txHash: Hex;
  blockNumber: number;
}

export interface AccessRequestQuery extends PageQuery {
  patient?: Address;
  recordId?: Hex;
  requester?: Address;
  granted?: boolean;
}

// ---- guardians ----------------------------------------------------------------------------------

export type DelegationScopeName = "grant" | "cosign" | "complaint";

export interface Delegation {
  patient: Address;
  patientName: string | null;
  delegate: Address;
  delegateName: string | null;
  scopes: DelegationScopeName[];
  scopeMask: number;
  validFrom: number;
  validUntil: number;
  revoked: boolean;
  /** Not revoked and within its period now. */
  active: boolean;
  blockNumber: number;
  txHash: Hex | null;
}

export interface DelegationQuery extends PageQuery {
  as?: "patient" | "delegate";
  active?: boolean;
}

export interface DelegationBody extends Signed {
  delegate: Address;
  scopes: DelegationScopeName[];
  validFrom: number;
  validUntil: number;
}

// ---- complaints ---------------------------------------------------------------------------------

export interface Complaint {
  complaintId: number;
  patient: Address;
  patientName: string | null;
  subject: Hex;
  subjectKind: "member" | "record";
  subjectAddress: Address | null;
  subjectName: string | null;
  evidenceHash: Hex;
  evidence: string | null;
  /** keccak256(evidence) equals the hash on chain. */
  evidenceMatches: boolean;
  signer: Address;
  signerName: string | null;
  filedAt: number;
  blockNumber: number;
  txHash: Hex | null;
}

export interface ComplaintBody extends Signed {
  patient: Address;
  subject: { address: Address } | { recordId: Hex };
  evidence: string;
}

const grantPath = (grantId: string) => `/consent/grants/${encodeURIComponent(grantId)}`;

export const consentApi = {
  grant: (body: GrantBody) => post<ConsentWithHash>("/consent/grants", body, { silent: true }),
  revoke: (grantId: string, body: Signed) => post<ConsentWithHash>(`${grantPath(grantId)}/revocation`, body),
  grants: (query: GrantQuery = {}, silent = false) =>
    get<ConsentPage>("/consent/grants", { params: query, silent }),
  grantById: (grantId: string) => get<ConsentWithHash>(grantPath(grantId)),
  history: (grantId: string) => get<ConsentBundle>(`${grantPath(grantId)}/history`),

  accessLog: (query: AccessLogQuery = {}, silent = false) =>
    get<Page<AccessLogEntry>>("/consent/access-log", { params: query, silent }),
  accessRequests: (query: AccessRequestQuery = {}, silent = false) =>
    get<Page<AccessRequest>>("/consent/access-requests", { params: query, silent }),

  delegate: (body: DelegationBody) => post<Delegation>("/delegations", body, { silent: true }),
  revokeDelegation: (delegate: string, body: Signed) =>
    post<Delegation>(`/delegations/${delegate}/revocation`, body),
  delegations: (query: DelegationQuery = {}, silent = false) =>
    get<Page<Delegation>>("/delegations", { params: query, silent }),

  fileComplaint: (body: ComplaintBody) => post<Complaint>("/complaints", body, { silent: true }),
  complaints: (query: PageQuery & { patient?: Address; subject?: string } = {}, silent = false) =>
    get<Page<Complaint>>("/complaints", { params: query, silent }),
};
