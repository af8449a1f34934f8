/**
 * Drafts and records. Content travels sealed (see `./sealed`): a new draft is sealed in the doctor's
 * browser before it is posted, and what the server answers is opened here with the reader's keys,
 * so pages receive a plain `bundle`.
 */
import { get, post } from "./client";
import { keysApi } from "./keys";
import { openAs, sealNewRecord } from "./sealed";
import { matchesDraft, type SealedContent } from "@/lib/sdk-keys";
import { i18n } from "@/locales";
import { ApiError } from "./client";
import type {
  Draft,
  DraftDetail,
  DraftStatus,
  EmrRecord,
  FhirBundle,
  Page,
  PageQuery,
  RecordDetail,
} from "./types";

export interface DraftQuery extends PageQuery {
  status?: DraftStatus;
}

export interface RecordQuery extends PageQuery {
  patient?: string;
  doctor?: string;
}

type Sealed<T> = Omit<T, "bundle"> & { content: SealedContent };

export const emrApi = {
  /**
   * Seals `bundle` for the readers the server lists (the patient, their guardians, the doctor, the
   * break-glass escrow key) and posts the draft. `createdAt` fixes the record id, so the bundle is
   * made with the same time.
   */
  createDraft: async (body: { patient: string; title: string; bundle: FhirBundle; createdAt: number }) => {
    const readers = await keysApi.newRecordReaders(body.patient);
    const { content } = await sealNewRecord(body.bundle, body.patient, readers, body.createdAt);
    return post<Draft>(
      "/emr/drafts",
      { patient: body.patient, title: body.title, createdAt: body.createdAt, content },
      { silent: true },
    );
  },
  drafts: (query: DraftQuery = {}, silent = false) =>
    get<Page<Draft>>("/emr/drafts", { params: query, silent }),
  /** A draft opened: a new record's draft is version 1, a correction's the version it becomes. */
  draft: async (id: string, silent = false): Promise<DraftDetail> => {
    const d = await get<Sealed<DraftDetail>>(`/emr/drafts/${encodeURIComponent(id)}`, { silent });
    const opened = await openAs(d, d.draft.recordId, d.draft.version);
    // What is signed is the hash and the fields root; they must be those of what is shown.
    if (!matchesDraft(d.content.envelope, opened.bundle, d.draft))
      throw new ApiError(0, "CONTENT_MISMATCH", i18n.global.t("error.contentMismatch"));
    return opened;
  },
  patientSignature: (id: string, signature: string) =>
    post<Draft>(`/emr/drafts/${encodeURIComponent(id)}/patient-signature`, { signature }),
  doctorSignature: (id: string, signature: string) =>
    post<Draft>(`/emr/drafts/${encodeURIComponent(id)}/doctor-signature`, { signature }),
  records: (query: RecordQuery = {}, silent = false) =>
    get<Page<EmrRecord>>("/emr/records", { params: query, silent }),
  /** The latest version, opened. */
  record: async (recordId: string): Promise<RecordDetail> => {
    const r = await get<Sealed<RecordDetail>>(`/emr/records/${encodeURIComponent(recordId)}`);
    return openAs(r, r.record.recordId, r.record.version);
  },
};
