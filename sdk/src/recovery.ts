/**
 * Key recovery: Shamir secret sharing of a member's private key (shamir-secret-sharing, an audited
 * implementation over GF(2^8)), so that a lost password or device does not lose the key.
 *
 * A share string is `yyl-share:1:<address>:<threshold>:<shares>:<index>:<share hex>:<checksum>`.
 * The address lets `recoverKey` refuse shares of two different keys and confirm the recovered key;
 * the checksum (first 4 bytes of SHA-256 of everything before it) catches a mistyped share. The
 * checksum is not a secret: it detects accidents, not forgeries; a forged share is caught by the
 * address check after combining.
 *
 * Each share can also be sealed with its holder's password (scrypt N = 2^15 + AES-256-GCM) before
 * it is handed to a guardian, the hospital or an offline backup.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { decodeBase64, encodeBase64, getAddress, Wallet } from "ethers";
import { combine, split } from "shamir-secret-sharing";

const SHARE_PREFIX = "yyl-share";
const SHARE_VERSION = 1;
const MAX_SHARES = 10;
/** scrypt cost for sealed shares: N = 2^15 (r = 8, p = 1), 32 MiB; shares are opened rarely, so the
 * cost is set higher than the everyday keystore's 2^14. */
export const SHARE_SCRYPT_N = 1 << 15;

export class ShareError extends Error {
  override name = "ShareError";
}

export interface KeyShare {
  /** Checksummed address of the key the share belongs to. */
  address: string;
  threshold: number;
  shares: number;
  /** 1-based position of this share among the `shares` made. */
  index: number;
  /** The Shamir share (secret length + 1 byte x-coordinate). */
  data: Uint8Array;
}

function checksum(body: string): string {
  return bytesToHex(sha256(utf8ToBytes(body)).slice(0, 4));
}

function privateKeyBytes(privateKey: string | Uint8Array): Uint8Array {
  const hex = typeof privateKey === "string" ? privateKey.replace(/^0x/i, "") : bytesToHex(privateKey);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ShareError("private key must be 32 bytes (64 hex digits)");
  return hexToBytes(hex);
}

function addressOf(key: Uint8Array): string {
  try {
    return new Wallet(`0x${bytesToHex(key)}`).address;
  } catch {
    throw new ShareError("private key is not a valid secp256k1 key (zero or not below the group order)");
  }
}

export function formatShare(s: KeyShare): string {
  const body = [SHARE_PREFIX, SHARE_VERSION, s.address.toLowerCase(), s.threshold, s.shares, s.index, bytesToHex(s.data)].join(":");
  return `${body}:${checksum(body)}`;
}

/** Parses and checks a share string; throws {@link ShareError} naming what is wrong. */
export function parseShare(text: string): KeyShare {
  // Shares are written in lower case; a share typed in upper case is still the same share.
  const parts = text.trim().toLowerCase().split(":");
  if (parts.length !== 8 || parts[0] !== SHARE_PREFIX)
    throw new ShareError(`not a key share: expected "${SHARE_PREFIX}:1:<address>:<t>:<n>:<index>:<hex>:<checksum>"`);
  const [, version, address, t, n, i, hex, sum] = parts as [string, string, string, string, string, string, string, string];
  if (version !== String(SHARE_VERSION)) throw new ShareError(`unsupported share version ${version}`);
  if (checksum(parts.slice(0, 7).join(":")) !== sum)
    throw new ShareError(`share checksum mismatch: the share is mistyped or corrupted`);
  if (!/^0x[0-9a-f]{40}$/i.test(address)) throw new ShareError(`share address ${address} is not an address`);
  const [threshold, shares, index] = [t, n, i].map(Number) as [number, number, number];
  if (![threshold, shares, index].every(Number.isInteger) || threshold < 2 || threshold > shares || shares > MAX_SHARES || index < 1 || index > shares)
    throw new ShareError(`share header ${t} of ${n}, index ${i} is out of range`);
  if (!/^([0-9a-f]{2})+$/i.test(hex) || hex.length !== 66) throw new ShareError("share data must be 33 bytes of hex");
  return { address: getAddress(address), threshold, shares, index, data: hexToBytes(hex) };
}

/** Splits a private key into `shares` share strings, any `threshold` of which recover it (2 ≤ t ≤ n ≤ 10). */
export async function splitKey(
  privateKey: string | Uint8Array,
  opts: { shares: number; threshold: number },
): Promise<string[]> {
  const { shares, threshold } = opts;
  if (!Number.isInteger(shares) || !Number.isInteger(threshold) || threshold < 2 || threshold > shares || shares > MAX_SHARES)
    throw new ShareError(`need 2 ≤ threshold ≤ shares ≤ ${MAX_SHARES}, got threshold ${threshold}, shares ${shares}`);
  const key = privateKeyBytes(privateKey);
  const address = addressOf(key);
  const parts = await split(key, shares, threshold);
  return parts.map((data, i) => formatShare({ address, threshold, shares, index: i + 1, data }));
}

/** Recovers the private key (0x hex) from at least `threshold` shares of one key; checks its address. */
export async function recoverKey(shareTexts: string[]): Promise<string> {
  if (!Array.isArray(shareTexts) || shareTexts.length === 0) throw new ShareError("no shares given");
  const parsed = shareTexts.map((s, i) => {
    try {
      return parseShare(s);
    } catch (e) {
      throw new ShareError(`share ${i + 1}: ${(e as Error).message}`);
    }
  });
  const first = parsed[0] as KeyShare;
  const addresses = [...new Set(parsed.map((p) => p.address))];
  if (addresses.length > 1) throw new ShareError(`shares belong to different keys: ${addresses.join(", ")}`);
  if (parsed.some((p) => p.threshold !== first.threshold || p.shares !== first.shares))
    throw new ShareError("shares disagree on the threshold or share count: they come from different splits");
  const indices = new Set(parsed.map((p) => p.index));
  if (indices.size !== parsed.length) throw new ShareError("the same share was given twice");
  if (parsed.length < first.threshold)
    throw new ShareError(
      `need ${first.threshold} shares of key ${first.address} to recover it, got ${parsed.length}`,
    );
  let key: Uint8Array;
  try {
    key = await combine(parsed.map((p) => p.data));
  } catch (e) {
    throw new ShareError(`shares could not be combined: ${(e as Error).message}`);
  }
  // Shares of different splits of the same key, or forged ones, combine to some other number.
  let recovered: string;
  try {
    recovered = addressOf(key);
  } catch {
    recovered = "(not a valid key)"; // a wrong combination may land outside the key range
  }
  if (recovered !== first.address)
    throw new ShareError(`recovered key's address ${recovered} does not match ${first.address}: a share is wrong`);
  return `0x${bytesToHex(key)}`;
}

// ---- password-sealed shares ---------------------------------------------------------------------

export interface SealedShare {
  v: 1;
  type: "yyl-sealed-share";
  address: string;
  index: number;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  iv: string;
  ct: string;
}

async function shareKey(password: string, salt: Uint8Array, N: number, r: number, p: number): Promise<CryptoKey> {
  const raw = await scryptAsync(utf8ToBytes(password.normalize("NFKC")), salt, { N, r, p, dkLen: 32, maxmem: 256 * N * r + 1024 * 1024 });
  return globalThis.crypto.subtle.importKey("raw", new Uint8Array(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

const aadOf = (address: string, index: number) => utf8ToBytes(`yyl-sealed-share:1:${address.toLowerCase()}:${index}`);

/** Seals a share string with its holder's password (JSON text). */
export async function encryptShare(share: string, password: string, opts: { scryptN?: number } = {}): Promise<string> {
  const s = parseShare(share);
  if (password.length === 0) throw new ShareError("password must not be empty");
  const N = opts.scryptN ?? SHARE_SCRYPT_N;
  if (N < SHARE_SCRYPT_N) throw new ShareError(`scrypt N must be at least 2^15 for shares, got ${N}`);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const key = await shareKey(password, salt, N, 8, 1);
  const ct = await globalThis.crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aadOf(s.address, s.index) as Uint8Array<ArrayBuffer> },
    key,
    utf8ToBytes(share.trim()) as Uint8Array<ArrayBuffer>,
  );
  const sealed: SealedShare = {
    v: 1,
    type: "yyl-sealed-share",
    address: s.address,
    index: s.index,
    kdf: { name: "scrypt", N, r: 8, p: 1, salt: encodeBase64(salt) },
    iv: encodeBase64(iv),
    ct: encodeBase64(new Uint8Array(ct)),
  };
  return JSON.stringify(sealed);
}

/** Opens a sealed share; a wrong password (or a tampered file) throws {@link ShareError}. */
export async function decryptShare(sealedJson: string, password: string): Promise<string> {
  let o: SealedShare;
  try {
    o = JSON.parse(sealedJson) as SealedShare;
  } catch {
    throw new ShareError("sealed share is not JSON");
  }
  if (o?.v !== 1 || o.type !== "yyl-sealed-share" || o.kdf?.name !== "scrypt" || typeof o.ct !== "string")
    throw new ShareError('not a sealed share {v:1, type:"yyl-sealed-share", kdf, iv, ct}');
  const { N, r, p } = o.kdf;
  if (![N, r, p].every(Number.isInteger) || N < SHARE_SCRYPT_N || N > 1 << 20 || r < 1 || r > 32 || p < 1 || p > 16)
    throw new ShareError(`sealed share scrypt parameters N=${N}, r=${r}, p=${p} are out of range`);
  const key = await shareKey(password, decodeBase64(o.kdf.salt), N, r, p);
  let plain: ArrayBuffer;
  try {
    plain = await globalThis.crypto.subtle.decrypt(
      { name: "AES-GCM", iv: decodeBase64(o.iv) as Uint8Array<ArrayBuffer>, additionalData: aadOf(o.address, o.index) as Uint8Array<ArrayBuffer> },
      key,
      decodeBase64(o.ct) as Uint8Array<ArrayBuffer>,
    );
  } catch {
    throw new ShareError("wrong password for the sealed share (or the sealed share was altered)");
  }
  const share = new TextDecoder().decode(plain);
  const s = parseShare(share);
  if (s.address !== getAddress(o.address) || s.index !== o.index)
    throw new ShareError("sealed share's label does not match the share inside");
  return share;
}
