/**
 * The wrapped content keys of one record version: the version's fresh AES-256 content key
 * (content.ts) wrapped with ECIES to every reader's public key, keyed by reader id. The server
 * stores this bundle next to the ciphertext and can read neither.
 *
 * Revocation: a version's bundle is never edited. Revoking a reader means the next version gets a
 * fresh content key ({@link rotateContentKey}) wrapped only for the remaining readers, so the
 * revoked reader cannot decrypt anything written after the revocation. It cannot undo the past:
 * versions the reader could read before stay readable with the keys they already hold (and any
 * copy they made of the plaintext is out of reach).
 */
import { generateContentKey } from "../content.ts";
import {
  eciesUnwrap,
  eciesWrap,
  normalizePublicKey,
  type AssociatedData,
  type EciesWrapped,
  type PrivateKeyInput,
  type PublicKeyInput,
} from "./ecies.ts";

export interface KeyReader {
  /** Stable reader id, e.g. the member's checksummed address. */
  id: string;
  publicKey: PublicKeyInput;
}

/** `{ [readerId]: wrapped content key }` for one record version (JSON-safe). */
export type WrappedKeyBundle = Record<string, EciesWrapped>;

/** The associated data a version's wrapped keys are bound to: `recordId:version`. */
export function keyWrapAad(recordId: string, version: number | bigint): string {
  if (typeof recordId !== "string" || recordId === "" || recordId.includes(":")) {
    throw new TypeError("recordId must be a non-empty string without ':'");
  }
  if (
    (typeof version !== "number" && typeof version !== "bigint") ||
    BigInt(version) < 0n ||
    (typeof version === "number" && !Number.isSafeInteger(version))
  ) {
    throw new TypeError("version must be a non-negative integer");
  }
  return `${recordId}:${BigInt(version).toString()}`;
}

/** The reader has no wrapped key in this version's bundle. */
export class NoWrappedKeyError extends Error {
  override name = "NoWrappedKeyError";
  constructor(readonly readerId: string) {
    super(
      `no wrapped content key for reader ${readerId} in this version: never granted, or revoked before this version was written`,
    );
  }
}

function checkReaders(readers: readonly KeyReader[]): void {
  if (!Array.isArray(readers) || readers.length === 0)
    throw new TypeError("readers must be a non-empty array of {id, publicKey}");
  const seen = new Set<string>();
  for (const r of readers) {
    if (typeof r?.id !== "string" || r.id === "")
      throw new TypeError("every reader needs a non-empty string id");
    if (seen.has(r.id)) throw new TypeError(`reader ${r.id} is listed twice`);
    seen.add(r.id);
    normalizePublicKey(r.publicKey, `public key of reader ${r.id}`);
  }
}

/** Wraps a 32-byte content key for every reader, bound to `aad` (use {@link keyWrapAad}). */
export async function wrapForReaders(
  contentKey: Uint8Array,
  readers: readonly KeyReader[],
  aad: AssociatedData,
): Promise<WrappedKeyBundle> {
  if (!(contentKey instanceof Uint8Array) || contentKey.byteLength !== 32)
    throw new TypeError("content key must be 32 bytes");
  checkReaders(readers);
  const wrapped = await Promise.all(readers.map((r) => eciesWrap(r.publicKey, contentKey, aad)));
  // fromEntries defines own properties, so an id such as "__proto__" cannot reach the prototype.
  return Object.fromEntries(readers.map((r, i) => [r.id, wrapped[i] as EciesWrapped]));
}

/** The content key for `readerId`; throws {@link NoWrappedKeyError} when the bundle has none for them. */
export async function unwrapFor(
  readerId: string,
  privateKey: PrivateKeyInput,
  bundle: WrappedKeyBundle,
  aad: AssociatedData,
): Promise<Uint8Array> {
  if (bundle === null || typeof bundle !== "object")
    throw new TypeError("wrapped-key bundle must be an object {readerId: wrapped}");
  if (!Object.hasOwn(bundle, readerId)) throw new NoWrappedKeyError(readerId);
  const key = await eciesUnwrap(privateKey, bundle[readerId] as EciesWrapped, aad);
  if (key.byteLength !== 32)
    throw new TypeError(
      `wrapped secret for reader ${readerId} is ${key.byteLength} bytes, not a 32-byte content key`,
    );
  return key;
}

export interface RotatedContentKey {
  /** Fresh key for the new version; seal the new content with it. */
  contentKey: Uint8Array;
  /** The new key wrapped for the remaining readers only. */
  bundle: WrappedKeyBundle;
  /** The readers left after the revocation. */
  readers: KeyReader[];
}

/**
 * Revocation for the next version: drops `revokedIds` from `readers`, makes a fresh content key and
 * wraps it for those left. Bundles of earlier versions are untouched (what was readable stays
 * readable). Unknown ids throw, so a typo cannot silently leave a reader in.
 */
export async function rotateContentKey(
  readers: readonly KeyReader[],
  revokedIds: readonly string[],
  aad: AssociatedData,
): Promise<RotatedContentKey> {
  checkReaders(readers);
  const ids = new Set(readers.map((r) => r.id));
  for (const id of revokedIds)
    if (!ids.has(id)) throw new TypeError(`cannot revoke ${id}: not a reader of this record`);
  const revoked = new Set(revokedIds);
  const remaining = readers.filter((r) => !revoked.has(r.id));
  if (remaining.length === 0)
    throw new TypeError("revocation would leave no reader: the new version could not be read by anyone");
  const contentKey = generateContentKey();
  return { contentKey, bundle: await wrapForReaders(contentKey, remaining, aad), readers: remaining };
}
