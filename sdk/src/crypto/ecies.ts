/**
 * ECIES on secp256k1: wraps a content key (or any short secret) to one reader's public key, the
 * same key pair the reader signs EIP-712 and sign-in messages with.
 *
 *   ephemeral key e (fresh per wrap), shared point S = e·P_reader
 *   k  = HKDF-SHA256(ikm = x(S), salt = epk ‖ P_reader, info = "yyl/ecies/v1" ‖ 0x00 ‖ aad, 32 bytes)
 *   ct = AES-256-GCM(k, iv, secret)      (16-byte tag appended)
 *
 * Everything the reader must agree on (ephemeral key, own key, context, record id and version) goes
 * into the key derivation, so changing any of them yields a different key and GCM rejects the
 * ciphertext. Each key is used for exactly one encryption.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  SigningKey,
  TypedDataEncoder,
  computeAddress,
  getAddress,
  hashMessage,
  type TypedDataField,
} from "ethers";
import type { JsonSafe, TypedData } from "../eip712.ts";
import {
  bytesFromInput,
  concatBytes,
  copyBytes,
  fromBase64,
  randomBytes,
  subtleCrypto,
  toBase64,
  toHex,
  utf8OrBytes,
} from "./bytes.ts";

export const ECIES_ALG = "ECIES-secp256k1-HKDF-SHA256-A256GCM";
/** Versioned HKDF context: a future scheme change uses a new string, so keys never collide across versions. */
export const ECIES_CONTEXT = "yyl/ecies/v1";
/** Secrets wrapped here are keys, not documents; the cap keeps the bundle small and catches misuse. */
export const ECIES_MAX_SECRET_BYTES = 1024;

/** A secret wrapped to one public key; JSON-safe, every binary field base64. */
export interface EciesWrapped {
  v: 1;
  alg: typeof ECIES_ALG;
  /** Ephemeral public key, 33-byte compressed point. */
  epk: string;
  /** 12-byte AES-GCM IV. */
  iv: string;
  /** Ciphertext with the 16-byte GCM tag appended. */
  ct: string;
}

/** A secp256k1 public key: compressed (33 bytes) or uncompressed (65 bytes), as bytes or hex. */
export type PublicKeyInput = Uint8Array | string;
/** A 32-byte secp256k1 private key as bytes or hex (0x optional), e.g. an ethers Wallet's `privateKey`. */
export type PrivateKeyInput = Uint8Array | string;
/** Associated data the wrap is bound to, e.g. `recordId:version`; it is authenticated, not stored. */
export type AssociatedData = Uint8Array | string;

/** Unwrapping failed authentication (the reason cannot be told apart cryptographically). */
export class EciesDecryptionError extends Error {
  override name = "EciesDecryptionError";
  constructor() {
    super(
      "ECIES unwrap failed authentication: wrong private key, wrong associated data (e.g. another record id or version), or the epk/iv/ct were altered",
    );
  }
}

/** The compressed 33-byte form of a public key; throws when it is not a point on secp256k1. */
export function normalizePublicKey(publicKey: PublicKeyInput, what = "public key"): Uint8Array {
  const bytes = bytesFromInput(publicKey, what);
  if (bytes.byteLength !== 33 && bytes.byteLength !== 65) {
    throw new TypeError(
      `${what} must be a 33-byte compressed or 65-byte uncompressed secp256k1 point, got ${bytes.byteLength} bytes`,
    );
  }
  try {
    return secp256k1.Point.fromBytes(bytes).toBytes(true);
  } catch {
    throw new TypeError(`${what} is not a valid secp256k1 point`);
  }
}

function privateKeyBytes(privateKey: PrivateKeyInput): Uint8Array {
  const bytes = bytesFromInput(privateKey, "private key");
  if (bytes.byteLength !== 32 || !secp256k1.utils.isValidSecretKey(bytes)) {
    throw new TypeError("private key must be 32 bytes, a scalar in [1, n-1] of secp256k1");
  }
  return bytes;
}

/** The compressed public key (0x-hex, 33 bytes) of a private key. */
export function publicKeyOf(privateKey: PrivateKeyInput): string {
  return toHex(secp256k1.getPublicKey(privateKeyBytes(privateKey), true));
}

/** The Ethereum address (checksummed) of a public key. */
export function addressOfPublicKey(publicKey: PublicKeyInput): string {
  return computeAddress(toHex(normalizePublicKey(publicKey)));
}

function checkSigner(publicKey: string, expectedAddress: string | undefined): string {
  const compressed = toHex(normalizePublicKey(publicKey));
  if (expectedAddress !== undefined && computeAddress(compressed) !== getAddress(expectedAddress)) {
    throw new Error(
      `signature was not made by ${getAddress(expectedAddress)}: it recovers to ${computeAddress(compressed)}`,
    );
  }
  return compressed;
}

function recoverFromDigest(digest: string, signature: string): string {
  try {
    return SigningKey.recoverPublicKey(digest, signature);
  } catch (e) {
    throw new TypeError(
      `cannot recover a public key from the signature: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * The signer's compressed public key from an EIP-191 personal signature (e.g. the sign-in
 * signature), so the server learns readers' public keys without asking for them. With
 * `expectedAddress`, throws unless the signature recovers to that address.
 */
export function publicKeyFromMessageSignature(
  message: string | Uint8Array,
  signature: string,
  expectedAddress?: string,
): string {
  return checkSigner(recoverFromDigest(hashMessage(message), signature), expectedAddress);
}

/** The signer's compressed public key from an EIP-712 signature over any typed data (JSON-safe form too). */
export function publicKeyFromTypedDataSignature(
  td: TypedData | JsonSafe<TypedData>,
  signature: string,
  expectedAddress?: string,
): string {
  const { EIP712Domain: _d, ...types } = td.types as Record<string, TypedDataField[]>;
  void _d;
  const digest = TypedDataEncoder.hash(
    td.domain as unknown as Record<string, unknown>,
    types,
    td.message as Record<string, unknown>,
  );
  return checkSigner(recoverFromDigest(digest, signature), expectedAddress);
}

function deriveWrapKey(
  sharedX: Uint8Array,
  epk: Uint8Array,
  recipient: Uint8Array,
  aad: AssociatedData,
): Uint8Array {
  const info = concatBytes(utf8OrBytes(ECIES_CONTEXT), new Uint8Array([0]), utf8OrBytes(aad));
  return hkdf(sha256, sharedX, concatBytes(epk, recipient), info, 32);
}

async function aesKey(raw: Uint8Array, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  return subtleCrypto().importKey("raw", copyBytes(raw), { name: "AES-GCM" }, false, [usage]);
}

function checkAad(aad: unknown): asserts aad is AssociatedData {
  if (typeof aad !== "string" && !(aad instanceof Uint8Array)) {
    throw new TypeError("associated data must be a string or bytes (e.g. `recordId:version`)");
  }
}

/** Wraps `secret` (1..1024 bytes) to `recipientPublicKey`, bound to `aad`. Two wraps of one secret differ. */
export async function eciesWrap(
  recipientPublicKey: PublicKeyInput,
  secret: Uint8Array,
  aad: AssociatedData,
): Promise<EciesWrapped> {
  const recipient = normalizePublicKey(recipientPublicKey, "recipient public key");
  if (
    !(secret instanceof Uint8Array) ||
    secret.byteLength === 0 ||
    secret.byteLength > ECIES_MAX_SECRET_BYTES
  ) {
    throw new TypeError(`secret must be 1..${ECIES_MAX_SECRET_BYTES} bytes`);
  }
  checkAad(aad);
  const ephemeral = secp256k1.utils.randomSecretKey();
  const epk = secp256k1.getPublicKey(ephemeral, true);
  const sharedX = secp256k1.getSharedSecret(ephemeral, recipient, true).subarray(1);
  const key = await aesKey(deriveWrapKey(sharedX, epk, recipient, aad), "encrypt");
  const iv = randomBytes(12);
  const ct = new Uint8Array(
    await subtleCrypto().encrypt({ name: "AES-GCM", iv, tagLength: 128 }, key, copyBytes(secret)),
  );
  return { v: 1, alg: ECIES_ALG, epk: toBase64(epk), iv: toBase64(iv), ct: toBase64(ct) };
}

/** Checks shape and encodings of a wrapped key (object or JSON text); malformed input throws a TypeError naming the field. */
export function parseEciesWrapped(wrapped: unknown): { epk: Uint8Array; iv: Uint8Array; ct: Uint8Array } {
  let o: unknown = wrapped;
  if (typeof wrapped === "string") {
    try {
      o = JSON.parse(wrapped);
    } catch {
      throw new TypeError("ECIES wrapped key is not valid JSON");
    }
  }
  if (o === null || typeof o !== "object")
    throw new TypeError("ECIES wrapped key must be an object {v, alg, epk, iv, ct}");
  const w = o as Record<string, unknown>;
  if (w.v !== 1)
    throw new TypeError(`ECIES wrapped key: unsupported version ${JSON.stringify(w.v)}, expected 1`);
  if (w.alg !== ECIES_ALG) throw new TypeError(`ECIES wrapped key: alg must be "${ECIES_ALG}"`);
  const epk = fromBase64(w.epk, "ECIES wrapped key: epk");
  if (epk.byteLength !== 33) throw new TypeError("ECIES wrapped key: epk must be a 33-byte compressed point");
  normalizePublicKey(epk, "ECIES wrapped key: epk");
  const iv = fromBase64(w.iv, "ECIES wrapped key: iv");
  if (iv.byteLength !== 12) throw new TypeError("ECIES wrapped key: iv must be 12 bytes");
  const ct = fromBase64(w.ct, "ECIES wrapped key: ct");
  if (ct.byteLength < 17)
    throw new TypeError("ECIES wrapped key: ct is shorter than the 16-byte tag plus one byte");
  return { epk, iv, ct };
}

/** Unwraps with the reader's private key; a wrong key, wrong `aad` or any altered field throws {@link EciesDecryptionError}. */
export async function eciesUnwrap(
  privateKey: PrivateKeyInput,
  wrapped: EciesWrapped | string,
  aad: AssociatedData,
): Promise<Uint8Array> {
  const { epk, iv, ct } = parseEciesWrapped(wrapped);
  const sk = privateKeyBytes(privateKey);
  checkAad(aad);
  const recipient = secp256k1.getPublicKey(sk, true);
  const sharedX = secp256k1.getSharedSecret(sk, epk, true).subarray(1);
  const key = await aesKey(deriveWrapKey(sharedX, epk, recipient, aad), "decrypt");
  try {
    return new Uint8Array(
      await subtleCrypto().decrypt(
        { name: "AES-GCM", iv: copyBytes(iv), tagLength: 128 },
        key,
        copyBytes(ct),
      ),
    );
  } catch {
    throw new EciesDecryptionError();
  }
}
