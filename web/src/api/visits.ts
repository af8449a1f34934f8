import { get, post } from "./client";
import type { Address, Page, PageQuery, Visit, VisitTimeline } from "./types";

export interface VisitQuery extends PageQuery {
  patient?: Address;
  hospital?: Address;
  finished?: boolean;
  sort?: "openedAt:desc" | "openedAt:asc" | "finishedAt:desc" | "finishedAt:asc";
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
  open: (body: OpenVisitBody) => post<Visit>("/visits", body, { silent: true }),
  list: (query: VisitQuery = {}, silent = false) => get<Page<Visit>>("/visits", { params: query, silent }),
  timeline: (visitId: string, silent = false) =>
    get<VisitTimeline>(`/visits/${encodeURIComponent(visitId)}`, { silent }),
  recordStep: (visitId: string, body: StepBody) =>
    post<VisitTimeline>(`/visits/${encodeURIComponent(visitId)}/steps`, body, { silent: true }),
};
