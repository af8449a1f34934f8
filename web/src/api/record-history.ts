/**
 * Changes to a record already on chain and their history: corrections (a new version drafted by a
 * doctor, sealed in the doctor's browser for the readers the next version has, then signed like a
 * new record through the draft routes), the patient's deletion, and every version with the reason
 * for it. Content is opened here with the reader's keys (see `./sealed`).
 */
import { get, post } from "./client";
import { keysApi } from "./keys";
import { openAs } from "./sealed";
import { sealContent, type SealedContent } from "@/lib/sdk-keys";
import type { Draft, EmrRecord, FhirBundle, RecordDetail, RecordHistory, RecordVersionDetail } from "./types";

const path = (recordId: string) => `/emr/records/${encodeURIComponent(recordId)}`;

type Sealed<T> = Omit<T, "bundle"> & { content: SealedContent };

export interface DeletionBody {
  reason: string;
  nonce: string;
  /** ms since the epoch */
  deadline: number;
  signature: string;
}

export const recordHistoryApi = {
  /** The record's latest content, opened; silent, because a deleted record answers 410 and the page
   *  says so, and a version not encrypted for the reader answers 403 NO_KEY_FOR_READER, shown in place. */
  record: async (recordId: string): Promise<RecordDetail> => {
    const r = await get<Sealed<RecordDetail>>(path(recordId), { silent: true });
    return openAs(r, r.record.recordId, r.record.version);
  },
  versions: (recordId: string, silent = false) =>
    get<RecordHistory>(`${path(recordId)}/versions`, {
      params: { sort: "version:desc", pageSize: 100 },
      silent,
    }),
  /** One version, opened (silent for the same reasons as `record`). */
  version: async (recordId: string, version: number): Promise<RecordVersionDetail> => {
    const r = await get<Sealed<RecordVersionDetail>>(`${path(recordId)}/versions/${version}`, {
      silent: true,
    });
    return openAs(r, r.record.recordId, r.version.version);
  },
  /** One version's sealed content as the server keeps it (the patient re-wraps its key for a grantee). */
  sealedVersion: (recordId: string, version: number) =>
    get<Sealed<RecordVersionDetail>>(`${path(recordId)}/versions/${version}`, { silent: true }),
  /**
   * Drafts the next version (`record.version + 1`): sealed for the readers the server lists for it.
   * A grantee revoked since is not among them, so the new content key is never wrapped for them.
   */
  correct: async (record: EmrRecord, body: { title?: string; bundle: FhirBundle; reason: string }) => {
    const readers = await keysApi.nextVersionReaders(record.recordId);
    const content = await sealContent(body.bundle, record.recordId, record.version + 1, readers);
    return post<Draft>(
      `${path(record.recordId)}/drafts`,
      { title: body.title, reason: body.reason, content },
      { silent: true },
    );
  },
  delete: (recordId: string, body: DeletionBody) =>
    post<EmrRecord>(`${path(recordId)}/deletion`, body, { silent: true }),
};
