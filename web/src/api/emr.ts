import { get, post } from "./client";
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

export const emrApi = {
  createDraft: (body: { patient: string; title: string; bundle: FhirBundle }) =>
    post<Draft>("/emr/drafts", body, { silent: true }),
  drafts: (query: DraftQuery = {}, silent = false) =>
    get<Page<Draft>>("/emr/drafts", { params: query, silent }),
  draft: (id: string, silent = false) =>
    get<DraftDetail>(`/emr/drafts/${encodeURIComponent(id)}`, { silent }),
  patientSignature: (id: string, signature: string) =>
    post<Draft>(`/emr/drafts/${encodeURIComponent(id)}/patient-signature`, { signature }),
  doctorSignature: (id: string, signature: string) =>
    post<Draft>(`/emr/drafts/${encodeURIComponent(id)}/doctor-signature`, { signature }),
  records: (query: RecordQuery = {}, silent = false) =>
    get<Page<EmrRecord>>("/emr/records", { params: query, silent }),
  record: (recordId: string) => get<RecordDetail>(`/emr/records/${encodeURIComponent(recordId)}`),
};
