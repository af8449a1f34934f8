/**
 * Off-chain record content: AES-256-GCM with WebCrypto (Node 20 and browsers), a fresh 32-byte key
 * per record version. Only `contentHashOf(envelope)` goes on chain.
 */
import { decodeBase64, encodeBase64, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "./record-id.ts";

export interface ContentEnvelope {
  v: 1;
  alg: "A256GCM";
  /** 12-byte IV, base64. */
  iv: string;
  /** Ciphertext with the 16-byte GCM tag appended, base64. */
  ct: string;
}

export class ContentDecryptionError extends Error {
  override name = "ContentDecryptionError";
  constructor(what = "content") {
    super(
      `${what} failed authentication: the ciphertext, key or associated data do not match (tampered or wrong key)`,
    );
  }
}

const KEY_WRAP_AAD = "yyl/key-wrap/v1";

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new Error(
      "WebCrypto (crypto.subtle) is not available: a secure context (https or localhost) is required",
    );
  return s;
}

/** A copy backed by a plain ArrayBuffer (what WebCrypto's types want). */
function buf(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.byteLength);
  out.set(b);
  return out;
}

function bytesOf(x: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof x === "string" ? buf(toUtf8Bytes(x)) : buf(x);
}

async function importKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== 32) throw new TypeError(`AES-256 key must be 32 bytes, got ${raw.byteLength}`);
  return subtle().importKey("raw", buf(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

/** A fresh random 32-byte content key. */
export function generateContentKey(): Uint8Array {
  const k = new Uint8Array(32);
  globalThis.crypto.getRandomValues(k);
  return k;
}

/** Encrypts with AES-256-GCM (random 96-bit IV); `aad` is authenticated, not stored. */
export async function sealContent(
  plaintext: Uint8Array | string,
  key: Uint8Array,
  aad?: Uint8Array | string,
): Promise<ContentEnvelope> {
  const iv = new Uint8Array(12);
  globalThis.crypto.getRandomValues(iv);
  const params: AesGcmParams = { name: "AES-GCM", iv, tagLength: 128 };
  if (aad !== undefined) params.additionalData = bytesOf(aad);
  const ct = new Uint8Array(await subtle().encrypt(params, await importKey(key), bytesOf(plaintext)));
  return { v: 1, alg: "A256GCM", iv: encodeBase64(iv), ct: encodeBase64(ct) };
}

function checkEnvelope(e: unknown): ContentEnvelope {
  const o = (typeof e === "string" ? JSON.parse(e) : e) as Partial<ContentEnvelope> | null;
  if (!o || o.v !== 1 || o.alg !== "A256GCM" || typeof o.iv !== "string" || typeof o.ct !== "string") {
    throw new TypeError('not a content envelope {v:1, alg:"A256GCM", iv, ct}');
  }
  return o as ContentEnvelope;
}

/** Decrypts an envelope (object or JSON text); a wrong key, aad or any tampering throws {@link ContentDecryptionError}. */
export async function openContent(
  envelope: ContentEnvelope | string,
  key: Uint8Array,
  aad?: Uint8Array | string,
): Promise<Uint8Array> {
  const env = checkEnvelope(envelope);
  const iv = buf(decodeBase64(env.iv));
  if (iv.byteLength !== 12) throw new ContentDecryptionError();
  const params: AesGcmParams = { name: "AES-GCM", iv, tagLength: 128 };
  if (aad !== undefined) params.additionalData = bytesOf(aad);
  const k = await importKey(key);
  try {
    return new Uint8Array(await subtle().decrypt(params, k, buf(decodeBase64(env.ct))));
  } catch {
    throw new ContentDecryptionError();
  }
}

/** The canonical JSON text of an envelope (what is stored and hashed). */
export function envelopeJson(envelope: ContentEnvelope): string {
  return canonicalJson(checkEnvelope(envelope));
}

/** keccak256 of the UTF-8 bytes of the canonical envelope JSON: the `contentHash` on chain. */
export function contentHashOf(envelopeJsonOrObject: string | ContentEnvelope): string {
  const obj =
    typeof envelopeJsonOrObject === "string"
      ? (JSON.parse(envelopeJsonOrObject) as unknown)
      : envelopeJsonOrObject;
  return keccak256(toUtf8Bytes(canonicalJson(checkEnvelope(obj))));
}

/**
 * Wraps a content key under a 32-byte key-encryption key (AES-256-GCM, fixed AAD). In this slice
 * the server holds the KEK; per-reader ECIES wrapping comes later.
 */
export async function wrapKey(contentKey: Uint8Array, kek: Uint8Array): Promise<ContentEnvelope> {
  if (contentKey.byteLength !== 32) throw new TypeError("content key must be 32 bytes");
  return sealContent(contentKey, kek, KEY_WRAP_AAD);
}

export async function unwrapKey(wrapped: ContentEnvelope | string, kek: Uint8Array): Promise<Uint8Array> {
  try {
    return await openContent(wrapped, kek, KEY_WRAP_AAD);
  } catch (e) {
    if (e instanceof ContentDecryptionError) throw new ContentDecryptionError("wrapped key");
    throw e;
  }
}
