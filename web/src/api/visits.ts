import { get, post } from "./client";
import type { PerkName } from "@yyl/sdk";
import type { Address, Page, PageQuery, Visit, VisitTimeline } from "./types";

/** A visit with its patient's tier (0–3) and that tier's perks now (from their contribution points). */
export interface PerkedVisit extends Visit {
  tier: number;
  perks: PerkName[];
}

/** A timeline whose visit carries the tier, and whether step 5 may claim reimbursement. */
export interface PerkedTimeline extends VisitTimeline {
  visit: PerkedVisit;
  /** The patient's tier carries the reimbursement perk now (step 5 may send `reimbursement: true`). */
  reimbursable: boolean;
}

export interface VisitQuery extends PageQuery {
  patient?: Address;
  hospital?: Address;
  finished?: boolean;
  /** `priority:desc` is the queue: patients with queue priority first, each group oldest first. */
  sort?:
    | "openedAt:desc"
    | "openedAt:asc"
    | "finishedAt:desc"
    | "finishedAt:asc"
    | "priority:desc"
    | "priority:asc";
}

/** What the patient signs to open a visit (VisitOpening), next to the hospital and opening time. */
export interface OpenVisitBody {
  hospital: Address;
  /** ms since the epoch; with the patient and hospital it makes the visit id. */
  openedAt: number;
  nonce: string;
  deadline: number;
  signature: string;
}

/** What a doctor signs to record a step (CareStep): contentHash = keccak256(canonical JSON of details). */
export interface StepBody {
  step: number;
  details: string | Record<string, unknown>;
  continues: boolean;
  nonce: string;
  deadline: number;
  signature: string;
}

export const visitsApi = {
  open: (body: OpenVisitBody) => post<PerkedVisit>("/visits", body, { silent: true }),
  list: (query: VisitQuery = {}, silent = false) =>
    get<Page<PerkedVisit>>("/visits", { params: query, silent }),
  timeline: (visitId: string, silent = false) =>
    get<PerkedTimeline>(`/visits/${encodeURIComponent(visitId)}`, { silent }),
  recordStep: (visitId: string, body: StepBody) =>
    post<PerkedTimeline>(`/visits/${encodeURIComponent(visitId)}/steps`, body, { silent: true }),
};
