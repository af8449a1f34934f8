/**
 * Keys of end-to-end record encryption as the server lists them: whom a new version is wrapped for,
 * how to wrap for one grantee, the caller's sealed CP-ABE attribute key, and the patient's client
 * handing a grantee the keys of versions already written.
 */
import { get, post } from "./client";
import type { RecordKeyWrap, SealedForMember, VersionReaders } from "@/lib/sdk-keys";

const record = (recordId: string) => `/emr/records/${encodeURIComponent(recordId)}`;

export interface IssuedAttributeKey {
  attributes: string[];
  abePublicKey: Record<string, unknown>;
  sealed: SealedForMember;
}

export const keysApi = {
  /** Readers of a new record for `patient` (the writing doctor asks). */
  newRecordReaders: (patient: string) =>
    get<VersionReaders>("/keys/readers", { params: { patient }, silent: true }),
  /** Readers of a record's next version (a correction). */
  nextVersionReaders: (recordId: string) =>
    get<VersionReaders>(`${record(recordId)}/readers`, { silent: true }),
  /** How to wrap for one grantee: a member's key, a hospital's doctors' policy, or a policy grant's policy. */
  granteeReaders: (grantee: string) =>
    get<VersionReaders>("/keys/grantee-readers", { params: { grantee }, silent: true }),
  /** 404 NO_ATTRIBUTE_KEY for patients and applicants. */
  attributeKey: () => get<IssuedAttributeKey>("/keys/attribute-key", { silent: true }),
  shareKeys: (recordId: string, wraps: Array<{ version: number } & RecordKeyWrap>) =>
    post<{ added: number; kept: number }>(`${record(recordId)}/keys`, { wraps }, { silent: true }),
};
