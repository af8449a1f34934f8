/**
 * Changes to a record already on chain and their history: corrections (a new version drafted by a
 * doctor, then signed like a new record through the draft routes), the patient's deletion, and
 * every version with the reason for it.
 */
import { get, post } from "./client";
import type { Draft, EmrRecord, FhirBundle, RecordDetail, RecordHistory, RecordVersionDetail } from "./types";

const path = (recordId: string) => `/emr/records/${encodeURIComponent(recordId)}`;

export interface DeletionBody {
  reason: string;
  nonce: string;
  /** ms since the epoch */
  deadline: number;
  signature: string;
}

export const recordHistoryApi = {
  /** The record's latest content; silent, because a deleted record answers 410 and the page says so. */
  record: (recordId: string) => get<RecordDetail>(path(recordId), { silent: true }),
  versions: (recordId: string, silent = false) =>
    get<RecordHistory>(`${path(recordId)}/versions`, {
      params: { sort: "version:desc", pageSize: 100 },
      silent,
    }),
  version: (recordId: string, version: number) =>
    get<RecordVersionDetail>(`${path(recordId)}/versions/${version}`),
  correct: (recordId: string, body: { title?: string; bundle: FhirBundle; reason: string }) =>
    post<Draft>(`${path(recordId)}/drafts`, body, { silent: true }),
  delete: (recordId: string, body: DeletionBody) =>
    post<EmrRecord>(`${path(recordId)}/deletion`, body, { silent: true }),
};
