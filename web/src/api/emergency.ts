/**
 * Break-glass and its oversight: a certified doctor opens a record without a grant (signed, logged,
 * rate-limited on chain), the patient is told, an alliance admin reviews each access; and the
 * requesters the chain blacklisted after repeated refusals, which an admin may lift.
 */
import { get, post } from "./client";
import type { Signed } from "./consent";
import { openAs } from "./sealed";
import type { SealedContent } from "@/lib/sdk-keys";
import type { Address, EmrRecord, FhirBundle, Hex, Page, PageQuery } from "./types";

export type EmergencyReasonName = "unconscious" | "life-threatening" | "other";
export type ReviewOutcome = "justified" | "abusive";

export interface EmergencyAccess {
  accessId: number;
  recordId: Hex;
  doctor: Address;
  doctorName: string | null;
  patient: Address;
  patientName: string | null;
  hospital: Address;
  hospitalName: string | null;
  reasonCode: number;
  reason: EmergencyReasonName;
  justificationHash: Hex;
  justification: string | null;
  /** keccak256(justification) equals the hash on chain; null when none was given. */
  justificationMatches: boolean | null;
  accessedAt: number;
  reviewed: boolean;
  reviewOutcome: ReviewOutcome | null;
  reviewedBy: Address | null;
  reviewedByName: string | null;
  blockNumber: number;
  txHash: Hex | null;
}

export interface EmergencyQuery extends PageQuery {
  reviewed?: boolean;
  patient?: Address;
  doctor?: Address;
  recordId?: Hex;
}

export interface BreakGlassBody extends Signed {
  recordId: Hex;
  reasonCode: number;
  justification?: string;
}

export interface BreakGlassResult {
  access: EmergencyAccess;
  record: EmrRecord;
  bundle: FhirBundle;
}

export interface BlacklistEntry {
  requester: Address;
  requesterName: string | null;
  /** Refusals that reached the limit. */
  denied: number;
  windowStart: number;
  listedAt: number;
  active: boolean;
  liftedAt: number | null;
  liftedBy: Address | null;
  liftedByName: string | null;
  blockNumber: number;
  txHash: Hex | null;
}

export const emergencyApi = {
  /** The server re-wraps the latest version's escrow key to the doctor alone; it is opened here. */
  breakGlass: async (body: BreakGlassBody): Promise<BreakGlassResult> => {
    const r = await post<Omit<BreakGlassResult, "bundle"> & { content: SealedContent }>(
      "/emergency/accesses",
      body,
      {
        silent: true,
      },
    );
    return openAs(r, r.record.recordId, r.record.version);
  },
  accesses: (query: EmergencyQuery = {}, silent = false) =>
    get<Page<EmergencyAccess>>("/emergency/accesses", { params: query, silent }),
  review: (accessId: number, body: Signed & { outcome: ReviewOutcome }) =>
    post<EmergencyAccess>(`/emergency/accesses/${accessId}/review`, body),

  blacklist: (query: PageQuery & { active?: boolean } = {}, silent = false) =>
    get<Page<BlacklistEntry>>("/blacklist", { params: query, silent }),
  lift: (requester: string, body: Signed) => post<BlacklistEntry>(`/blacklist/${requester}/lift`, body),
};
