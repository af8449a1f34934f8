/**
 * End-to-end encryption of record versions. The writer's client seals a version's FHIR Bundle under
 * a fresh AES-256 content key and wraps that key for every reader:
 *
 *   - ECIES to a member's secp256k1 key (the patient, the author, guardians, personal grantees, the
 *     hospital account of a hospital grantee) and to the alliance's break-glass escrow key;
 *   - CP-ABE under a policy, for readers known by attributes rather than by key: the doctors of a
 *     hospital grantee (`hospital:0x…`) and the patient's own policy grants.
 *
 * The server stores the envelope and the wraps and can open neither. Each wrap is bound to
 * `recordId:version` (keyWrapAad), and the envelope to the same string, so neither can be moved to
 * another record or version.
 */
import { keccak256, toUtf8Bytes, getAddress, dataSlice } from "ethers";
import {
  abeDecrypt,
  abeEncrypt,
  canonicalPolicy,
  initAbe,
  deserializeAbeCiphertext,
  deserializeAbePublicKey,
  deserializeAbeUserKey,
  parsePolicy,
  policySatisfied,
  type AbeCiphertextJson,
  type AbePublicKeyJson,
  type AbeUserKeyJson,
} from "./abe/index.ts";
import { contentHashOf, envelopeJson, generateContentKey, openContent, sealContent } from "./content.ts";
import {
  eciesUnwrap,
  eciesWrap,
  normalizePublicKey,
  parseEciesWrapped,
  type EciesWrapped,
  type PrivateKeyInput,
} from "./crypto/ecies.ts";
import { keyWrapAad, type KeyReader } from "./crypto/key-bundle.ts";
import { validateEmrBundle } from "./fhir.ts";
import { fieldsRootOf } from "./merkle.ts";
import { canonicalJson } from "./record-id.ts";

/** The reader id of the alliance's break-glass escrow key. */
export const ESCROW_READER = "escrow";

/** One wrapped content key: ECIES for a reader id (address or `escrow`), CP-ABE for a policy. */
export type RecordKeyWrap =
  | { kind: "ecies"; reader: string; wrapped: EciesWrapped }
  | { kind: "abe"; policy: string; wrapped: AbeCiphertextJson };

/** Who a new version must be readable by, as the server lists them (GET …/readers). */
export interface VersionReaders {
  /** Members by key, plus the escrow key under {@link ESCROW_READER}. */
  keys: KeyReader[];
  /** CP-ABE policies. */
  policies: string[];
  /** The alliance's CP-ABE public key; needed only when `policies` is not empty. */
  abePublicKey?: AbePublicKeyJson;
}

export interface SealedVersion {
  /** Canonical JSON of the AES-GCM envelope (stored off chain). */
  envelope: string;
  /** keccak256 of the envelope: goes on chain. */
  contentHash: string;
  /** Merkle root of the Bundle's fields: goes on chain. */
  fieldsRoot: string;
  wraps: RecordKeyWrap[];
}

/** What a reader brings to open a version: their address and key, and their attribute key if any. */
export interface ReaderKeys {
  address: string;
  privateKey: PrivateKeyInput;
  abeUserKey?: AbeUserKeyJson | null;
}

/** A reader holds no wrap of this version: never shared with them, or revoked before it was written. */
export class NoKeyForReaderError extends Error {
  override name = "NoKeyForReaderError";
  constructor(readonly reader: string) {
    super(`no content key of this version is wrapped for ${reader}`);
  }
}

/**
 * The account that stands for a CP-ABE policy in a ConsentManager grant: the last 20 bytes of
 * keccak256("yyl/abe-policy:" + the policy's canonical form). Nobody holds its key; the grant on chain
 * records the patient's consent, its scope and expiry, and its revocation.
 */
export function policyGranteeOf(policy: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`yyl/abe-policy:${canonicalPolicy(policy)}`)), 12));
}

/** Wraps one version's content key for every reader. */
export async function wrapContentKey(
  contentKey: Uint8Array,
  recordId: string,
  version: number,
  readers: VersionReaders,
): Promise<RecordKeyWrap[]> {
  const aad = keyWrapAad(recordId, version);
  const wraps: RecordKeyWrap[] = [];
  const seen = new Set<string>();
  for (const r of readers.keys) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    wraps.push({ kind: "ecies", reader: r.id, wrapped: await eciesWrap(r.publicKey, contentKey, aad) });
  }
  const policies = [...new Set(readers.policies.map(canonicalPolicy))];
  if (policies.length === 0) return wraps;
  if (!readers.abePublicKey) throw new TypeError("readers.abePublicKey is required to wrap for policies");
  await initAbe();
  const publicKey = deserializeAbePublicKey(readers.abePublicKey);
  for (const policy of policies) {
    // The policy is bound into the ciphertext's own associated data; the record and version are
    // bound by prefixing them to the wrapped key, checked on unwrap.
    const message = new Uint8Array([...toUtf8Bytes(`${aad}\u0000`), ...contentKey]);
    wraps.push({ kind: "abe", policy, wrapped: await abeEncrypt(publicKey, policy, message) });
  }
  return wraps;
}

/** Seals a version's FHIR Bundle for its readers (run by the writing doctor's client). The server cannot
 *  look inside, so the Bundle is checked here: a TypeError lists what makes it no FHIR R4 document Bundle. */
export async function sealRecordVersion(
  bundle: unknown,
  recordId: string,
  version: number,
  readers: VersionReaders,
): Promise<SealedVersion> {
  const problems = validateEmrBundle(bundle);
  if (problems.length) throw new TypeError(`not a FHIR R4 document Bundle: ${problems.join("; ")}`);
  const contentKey = generateContentKey();
  const envelope = envelopeJson(await sealContent(canonicalJson(bundle), contentKey, keyWrapAad(recordId, version)));
  return {
    envelope,
    contentHash: contentHashOf(envelope),
    fieldsRoot: fieldsRootOf(bundle),
    wraps: await wrapContentKey(contentKey, recordId, version, readers),
  };
}

/** The content key from the first wrap the reader can open: their own ECIES wrap, else a satisfied policy. */
export async function unwrapContentKey(
  wraps: readonly RecordKeyWrap[],
  recordId: string,
  version: number,
  reader: ReaderKeys,
): Promise<Uint8Array> {
  const aad = keyWrapAad(recordId, version);
  const address = getAddress(reader.address);
  const own = wraps.find((w) => w.kind === "ecies" && w.reader.toLowerCase() === address.toLowerCase());
  if (own) return eciesUnwrap(reader.privateKey, own.wrapped as EciesWrapped, aad);
  const userKey = reader.abeUserKey;
  const attributes = userKey?.attributes.map((a) => a.attribute) ?? [];
  for (const w of wraps) {
    if (w.kind !== "abe" || !userKey || !policySatisfied(parsePolicy(w.policy), new Set(attributes))) continue;
    await initAbe();
    const plain = await abeDecrypt(null, deserializeAbeUserKey(userKey), deserializeAbeCiphertext(w.wrapped));
    const prefix = toUtf8Bytes(`${aad}\u0000`);
    if (plain.length !== prefix.length + 32 || prefix.some((b, i) => plain[i] !== b))
      throw new Error(`the policy-wrapped key is not bound to ${aad}`);
    return plain.slice(prefix.length);
  }
  throw new NoKeyForReaderError(address);
}

/** Opens a version: unwraps the content key, decrypts and parses the Bundle. */
export async function openRecordVersion(
  content: { envelope: string; wraps: readonly RecordKeyWrap[] },
  recordId: string,
  version: number,
  reader: ReaderKeys,
): Promise<unknown> {
  const key = await unwrapContentKey(content.wraps, recordId, version, reader);
  const plain = await openContent(content.envelope, key, keyWrapAad(recordId, version));
  return JSON.parse(new TextDecoder().decode(plain));
}

/** Checks a wrap's shape (a TypeError names what is wrong); used by the server before storing one. */
export async function checkRecordKeyWrap(w: RecordKeyWrap): Promise<void> {
  if (w.kind === "ecies") {
    if (w.reader !== ESCROW_READER) getAddress(w.reader);
    parseEciesWrapped(w.wrapped);
  } else if (w.kind === "abe") {
    if (canonicalPolicy(w.policy) !== w.policy) throw new TypeError("policy is not in canonical form");
    await initAbe();
    const ct = deserializeAbeCiphertext(w.wrapped);
    if (ct.policy !== w.policy) throw new TypeError("the ciphertext's policy differs from the wrap's policy");
  } else {
    throw new TypeError('kind must be "ecies" or "abe"');
  }
}

/** A secret larger than ECIES takes (an attribute key), sealed to one member's public key. */
export interface SealedForMember {
  envelope: string;
  wrapped: EciesWrapped;
}

export async function sealForMember(publicKey: string, secret: unknown, aad: string): Promise<SealedForMember> {
  normalizePublicKey(publicKey);
  const key = generateContentKey();
  const envelope = envelopeJson(await sealContent(canonicalJson(secret), key, aad));
  return { envelope, wrapped: await eciesWrap(publicKey, key, aad) };
}

export async function openSealedForMember(
  privateKey: PrivateKeyInput,
  sealed: SealedForMember,
  aad: string,
): Promise<unknown> {
  const key = await eciesUnwrap(privateKey, sealed.wrapped, aad);
  return JSON.parse(new TextDecoder().decode(await openContent(sealed.envelope, key, aad)));
}
