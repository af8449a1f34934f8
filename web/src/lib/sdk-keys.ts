/**
 * The sdk's end-to-end record encryption, kept beside `./sdk.ts` (the portal's door to `@yyl/sdk`):
 * the writer's browser seals a version for its readers, a reader's browser opens it, the patient's
 * browser re-wraps a version's key for a new grantee, and the CP-ABE policy of a policy grant.
 * The server only ever sees the envelope and the wrapped keys.
 */
import {
  DEPARTMENTS,
  contentHashOf,
  fieldsRootOf,
  NoKeyForReaderError,
  canonicalPolicy,
  openRecordVersion,
  openSealedForMember,
  parsePolicy,
  policyAttributes,
  policyGranteeOf,
  recordIdOf,
  sealRecordVersion,
  unwrapContentKey,
  wrapContentKey,
  type AbeUserKeyJson,
  type Department,
  type ReaderKeys,
  type RecordKeyWrap,
  type SealedForMember,
  type VersionReaders,
} from "@yyl/sdk";

export {
  DEPARTMENTS,
  NoKeyForReaderError,
  canonicalPolicy,
  openRecordVersion,
  policyGranteeOf,
  recordIdOf,
  unwrapContentKey,
  wrapContentKey,
};
export type { AbeUserKeyJson, Department, ReaderKeys, RecordKeyWrap, SealedForMember, VersionReaders };

/** A version's content as the server answers it: the envelope and the wraps the caller can open. */
export interface SealedContent {
  envelope: string;
  wraps: RecordKeyWrap[];
}

/** A version sealed in the browser, as the draft routes take it. */
export interface ContentInput {
  envelope: string;
  fieldsRoot: string;
  wraps: RecordKeyWrap[];
}

/** The aad the key authority seals a member's attribute key under (see GET /keys/attribute-key). */
export const attributeKeyAad = (address: string) => `yyl/abe-user-key:${address}`;

export async function openAttributeKey(
  privateKey: string,
  sealed: SealedForMember,
  address: string,
): Promise<AbeUserKeyJson> {
  return (await openSealedForMember(privateKey, sealed, attributeKeyAad(address))) as AbeUserKeyJson;
}

/**
 * Seals a Bundle for its readers. The server cannot look inside any more, so the sdk checks the Bundle
 * first: a TypeError lists what makes it no FHIR R4 document Bundle.
 */
export async function sealContent(
  bundle: unknown,
  recordId: string,
  version: number,
  readers: VersionReaders,
): Promise<ContentInput> {
  const sealed = await sealRecordVersion(bundle, recordId, version, readers);
  return { envelope: sealed.envelope, fieldsRoot: sealed.fieldsRoot, wraps: sealed.wraps };
}

/** A policy typed by the patient: its canonical text, or the parser's complaint. */
export function checkPolicy(text: string): { policy: string; attributes: string[] } | { error: string } {
  try {
    const policy = canonicalPolicy(text);
    return { policy, attributes: policyAttributes(parsePolicy(policy)) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The policy the builder's choices make: any of the hospitals, AND the role, AND any of the
 * departments; a part left empty is left out. Empty when nothing is chosen.
 */
export function builtPolicy(choice: { hospitals: string[]; role: string; departments: string[] }): string {
  const anyOf = (attrs: string[]) => (attrs.length > 1 ? `(${attrs.join(" OR ")})` : attrs[0]);
  const parts = [
    anyOf(choice.hospitals.map((h) => `hospital:${h.toLowerCase()}`)),
    choice.role ? `role:${choice.role}` : undefined,
    anyOf(choice.departments.map((d) => `dept:${d}`)),
  ].filter((p): p is string => !!p);
  return parts.length ? canonicalPolicy(parts.join(" AND ")) : "";
}

/**
 * Whether opened content is what the draft says will go on chain: the envelope's hash and the
 * Bundle's Merkle root. The patient co-signs those two values, and the server could not check them
 * against content it cannot read.
 */
export function matchesDraft(
  envelope: string,
  bundle: unknown,
  draft: { contentHash: string; fieldsRoot: string },
): boolean {
  return (
    contentHashOf(envelope).toLowerCase() === draft.contentHash.toLowerCase() &&
    fieldsRootOf(bundle).toLowerCase() === draft.fieldsRoot.toLowerCase()
  );
}
