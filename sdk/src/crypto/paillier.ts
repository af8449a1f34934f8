/**
 * Paillier (1999) on paillier-bigint, 2048-bit modulus, for encrypted counts: hospitals encrypt
 * counts under the alliance's public key, anyone can add ciphertexts, only the alliance (holder of
 * p and q) decrypts the totals.
 *
 * Keys use g = n + 1 (paillier-bigint's "simple variant"; its default picks a random g), which makes
 * g^m mod n² = 1 + m·n: online encryption is then one multiplication by a precomputed r^n mod n².
 * Decryption uses the CRT form of Paillier 1999 §7 (exponents p−1 and q−1 mod p² and q²): about
 * 8 times less work than c^λ mod n². paillier-bigint's own decrypt only splits c^λ mod n² into
 * mod p² and mod q² with the full-size exponent, so it is done here.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { PrivateKey, PublicKey, generateRandomKeys } from "paillier-bigint";
import {
  bigintFromHex,
  bigintToHex,
  bitLength,
  gcd,
  isqrt,
  modInv,
  modPow,
  randomUnit,
} from "./bigint-math.ts";
import { fromHex, toHex } from "./bytes.ts";

export const PAILLIER_BITS = 2048;
/** Largest count one hospital may encrypt (exact as a JS number). */
export const PAILLIER_MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER);
/**
 * Default ceiling for a decrypted total. An altered ciphertext decrypts to a near-uniform value
 * below n ≈ 2^2048, so a result above 2^64 − 1 means tampering, not a real sum.
 */
export const PAILLIER_MAX_TOTAL = (1n << 64n) - 1n;

export type PaillierPublicKey = PublicKey;

export interface PaillierPrivateKey {
  readonly publicKey: PaillierPublicKey;
  readonly p: bigint;
  readonly q: bigint;
  /** λ = (p−1)(q−1) and μ = λ⁻¹ mod n, for the plain (non-CRT) decryption. */
  readonly lambda: bigint;
  readonly mu: bigint;
  readonly p2: bigint;
  readonly q2: bigint;
  /** h_p = L_p(g^(p−1) mod p²)⁻¹ mod p (Paillier 1999 §7), likewise h_q. */
  readonly hp: bigint;
  readonly hq: bigint;
  readonly qInvModP: bigint;
}

export interface PaillierKeyPair {
  publicKey: PaillierPublicKey;
  privateKey: PaillierPrivateKey;
}

/** An encrypted count; JSON-safe. `key` names the public key it was made under. */
export interface PaillierCiphertext {
  v: 1;
  key: string;
  c: string;
}

/** The public key with g = n + 1; throws when n is not an odd modulus of at least 2048 bits. */
export function paillierPublicKeyFromModulus(n: bigint): PaillierPublicKey {
  if (typeof n !== "bigint" || n % 2n === 0n || bitLength(n) < PAILLIER_BITS) {
    throw new RangeError(`Paillier modulus must be an odd number of at least ${PAILLIER_BITS} bits`);
  }
  return new PublicKey(n, n + 1n);
}

/** Builds the private key (with CRT constants) from the primes p and q. */
export function paillierPrivateKeyFromPrimes(p: bigint, q: bigint): PaillierPrivateKey {
  if (p === q || p < 3n || q < 3n || p % 2n === 0n || q % 2n === 0n)
    throw new RangeError("p and q must be distinct odd primes");
  const publicKey = paillierPublicKeyFromModulus(p * q);
  const n = publicKey.n;
  const lambda = (p - 1n) * (q - 1n);
  if (gcd(n, lambda) !== 1n) throw new RangeError("gcd(pq, (p−1)(q−1)) must be 1 (p and q of equal length)");
  const [p2, q2] = [p * p, q * q];
  const lp = (x: bigint, prime: bigint) => (x - 1n) / prime;
  const hp = modInv(lp(modPow(publicKey.g, p - 1n, p2), p), p);
  const hq = modInv(lp(modPow(publicKey.g, q - 1n, q2), q), q);
  return { publicKey, p, q, lambda, mu: modInv(lambda, n), p2, q2, hp, hq, qInvModP: modInv(q, p) };
}

/**
 * A fresh key pair (paillier-bigint keygen, g = n + 1; several seconds for 2048 bits). The
 * alliance keeps the private key; hospitals get {@link paillierPublicKeyToJson}.
 */
export async function generatePaillierKeyPair(bits = PAILLIER_BITS): Promise<PaillierKeyPair> {
  if (!Number.isInteger(bits) || bits < PAILLIER_BITS)
    throw new RangeError(`Paillier keys must be at least ${PAILLIER_BITS} bits`);
  const { publicKey, privateKey } = await generateRandomKeys(bits, true);
  // The simple variant sets λ = φ(n) = (p−1)(q−1), so p + q = n − λ + 1: p and q follow from
  // public fields of the library key without reaching into its private ones.
  const n = publicKey.n;
  const sum = n - privateKey.lambda + 1n;
  const root = isqrt(sum * sum - 4n * n);
  const [p, q] = [(sum + root) / 2n, (sum - root) / 2n];
  if (p * q !== n) throw new Error("paillier-bigint returned a key whose λ is not (p−1)(q−1)");
  const sk = paillierPrivateKeyFromPrimes(p, q);
  return { publicKey: sk.publicKey, privateKey: sk };
}

/** Short id of a public key (first 8 bytes of SHA-256 of n), carried by ciphertexts to catch key mix-ups. */
export function paillierKeyId(publicKey: PaillierPublicKey): string {
  const hex = publicKey.n.toString(16);
  return toHex(sha256(fromHex(hex.length % 2 === 0 ? hex : `0${hex}`, "n")).subarray(0, 8));
}

/**
 * Precomputed randomness r^n mod n² (the expensive part of encryption), filled while idle so that
 * {@link encryptCount} is one multiplication. Each value is used once.
 */
export class PaillierRandomness {
  private readonly pool: bigint[] = [];
  constructor(readonly publicKey: PaillierPublicKey) {}

  get size(): number {
    return this.pool.length;
  }

  /** One fresh r^n mod n² with r uniform in Z*_n. */
  compute(): bigint {
    const { n, _n2: n2 } = this.publicKey;
    return modPow(randomUnit(n), n, n2);
  }

  /** Adds `count` values, yielding to the event loop between them so a browser tab stays responsive. */
  async fill(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.pool.push(this.compute());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** A precomputed value (removed from the pool), or a fresh one when the pool is empty. */
  take(): bigint {
    return this.pool.pop() ?? this.compute();
  }
}

function checkPlaintext(publicKey: PaillierPublicKey, m: unknown, max: bigint): bigint {
  if (typeof m === "number" && !Number.isSafeInteger(m))
    throw new RangeError(`count must be an integer, got ${m}`);
  if (typeof m !== "number" && typeof m !== "bigint") throw new TypeError("count must be a number or bigint");
  const x = BigInt(m);
  if (x < 0n) throw new RangeError(`count must not be negative, got ${x}`);
  if (x > max || x >= publicKey.n)
    throw new RangeError(`count ${x} is out of range: at most ${max < publicKey.n ? max : publicKey.n - 1n}`);
  return x;
}

/** Enc(m) = g^m · r^n mod n²; with g = n + 1, g^m = 1 + m·n (binomial theorem mod n²). */
function encryptWith(publicKey: PaillierPublicKey, m: bigint, rn: bigint): bigint {
  const { n, g, _n2: n2 } = publicKey;
  const gm = g === n + 1n ? (1n + m * n) % n2 : modPow(g, m, n2);
  return (gm * rn) % n2;
}

export function ciphertextToJson(publicKey: PaillierPublicKey, c: bigint): PaillierCiphertext {
  return { v: 1, key: paillierKeyId(publicKey), c: bigintToHex(c) };
}

/**
 * Checks a ciphertext (object or JSON text) against the public key and returns its value: made
 * under this key (by its key id), in [1, n²) and a unit mod n² (coprime to n). Paillier is
 * malleable, so a well-formed altered value cannot be detected here; see {@link decryptCount}.
 */
export function parseCiphertext(
  publicKey: PaillierPublicKey,
  ciphertext: PaillierCiphertext | string,
): bigint {
  const o = (
    typeof ciphertext === "string" ? JSON.parse(ciphertext) : ciphertext
  ) as Partial<PaillierCiphertext> | null;
  if (o === null || typeof o !== "object" || o.v !== 1)
    throw new TypeError("not a Paillier ciphertext {v:1, key, c}");
  const expected = paillierKeyId(publicKey);
  if (o.key !== expected)
    throw new Error(
      `Paillier ciphertext was made under another key (key id ${String(o.key)}, expected ${expected})`,
    );
  const c = bigintFromHex(o.c, "Paillier ciphertext c");
  if (c <= 0n || c >= publicKey._n2)
    throw new RangeError("Paillier ciphertext is out of range: it must be in [1, n²)");
  if (gcd(c, publicKey.n) !== 1n)
    throw new RangeError("Paillier ciphertext shares a factor with n: not a valid ciphertext");
  return c;
}

/**
 * Encrypts a count (integer 0 ≤ count ≤ {@link PAILLIER_MAX_COUNT}). With `randomness` holding
 * precomputed values this is one modular multiplication; without, r^n mod n² is computed here.
 */
export function encryptCount(
  publicKey: PaillierPublicKey,
  count: number | bigint,
  randomness?: PaillierRandomness,
): PaillierCiphertext {
  const m = checkPlaintext(publicKey, count, PAILLIER_MAX_COUNT);
  if (randomness && randomness.publicKey.n !== publicKey.n)
    throw new Error("randomness pool belongs to another Paillier key");
  const rn = randomness ? randomness.take() : new PaillierRandomness(publicKey).compute();
  return ciphertextToJson(publicKey, encryptWith(publicKey, m, rn));
}

/** Homomorphic sum: the product of the ciphertexts mod n² encrypts the sum of their counts. */
export function addAll(
  publicKey: PaillierPublicKey,
  ciphertexts: readonly (PaillierCiphertext | string)[],
): PaillierCiphertext {
  if (!Array.isArray(ciphertexts) || ciphertexts.length === 0)
    throw new TypeError("addAll needs at least one ciphertext");
  const n2 = publicKey._n2;
  const product = ciphertexts.reduce<bigint>((acc, ct) => (acc * parseCiphertext(publicKey, ct)) % n2, 1n);
  return ciphertextToJson(publicKey, product);
}

/** CRT decryption (Paillier 1999 §7) of a raw ciphertext value: m mod p and m mod q, recombined. */
export function decryptCrt(privateKey: PaillierPrivateKey, c: bigint): bigint {
  const { p, q, p2, q2, hp, hq, qInvModP } = privateKey;
  const mp = (((modPow(c % p2, p - 1n, p2) - 1n) / p) * hp) % p;
  const mq = (((modPow(c % q2, q - 1n, q2) - 1n) / q) * hq) % q;
  // Garner: m = mq + q·((mp − mq)·q⁻¹ mod p), which lies in [0, n).
  return mq + q * (((((mp - mq) % p) + p) * qInvModP) % p);
}

/** Textbook decryption L(c^λ mod n²)·μ mod n (for comparison with the CRT form). */
export function decryptPlain(privateKey: PaillierPrivateKey, c: bigint): bigint {
  const { n, _n2: n2 } = privateKey.publicKey;
  return (((modPow(c, privateKey.lambda, n2) - 1n) / n) * privateKey.mu) % n;
}

/** The same key as a paillier-bigint PrivateKey (for its encrypt/decrypt or other tools). */
export function toLibraryPrivateKey(privateKey: PaillierPrivateKey): PrivateKey {
  return new PrivateKey(privateKey.lambda, privateKey.mu, privateKey.publicKey, privateKey.p, privateKey.q);
}

/**
 * Decrypts a count or total with CRT. Throws when the result exceeds `maxTotal` (default
 * {@link PAILLIER_MAX_TOTAL}): that happens only when a ciphertext was altered or is not a count.
 */
export function decryptCount(
  privateKey: PaillierPrivateKey,
  ciphertext: PaillierCiphertext | string,
  maxTotal: bigint = PAILLIER_MAX_TOTAL,
): bigint {
  const m = decryptCrt(privateKey, parseCiphertext(privateKey.publicKey, ciphertext));
  if (m > maxTotal)
    throw new RangeError(
      `decrypted value exceeds ${maxTotal}: the ciphertext was altered or is not a sum of counts`,
    );
  return m;
}

// ---- serialization ------------------------------------------------------------------------------

export interface PaillierPublicKeyJson {
  v: 1;
  alg: "Paillier-g=n+1";
  n: string;
}

export interface PaillierPrivateKeyJson {
  v: 1;
  alg: "Paillier-g=n+1";
  p: string;
  q: string;
}

export function paillierPublicKeyToJson(publicKey: PaillierPublicKey): PaillierPublicKeyJson {
  if (publicKey.g !== publicKey.n + 1n) throw new RangeError("only keys with g = n + 1 are serialized");
  return { v: 1, alg: "Paillier-g=n+1", n: bigintToHex(publicKey.n) };
}

export function paillierPublicKeyFromJson(json: PaillierPublicKeyJson | string): PaillierPublicKey {
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Partial<PaillierPublicKeyJson> | null;
  if (o === null || typeof o !== "object" || o.v !== 1 || o.alg !== "Paillier-g=n+1")
    throw new TypeError('not a Paillier public key {v:1, alg:"Paillier-g=n+1", n}');
  return paillierPublicKeyFromModulus(bigintFromHex(o.n, "Paillier public key n"));
}

/** The private key as p and q (hex). Whoever holds this text can decrypt every submission: store it encrypted. */
export function paillierPrivateKeyToJson(privateKey: PaillierPrivateKey): PaillierPrivateKeyJson {
  return { v: 1, alg: "Paillier-g=n+1", p: bigintToHex(privateKey.p), q: bigintToHex(privateKey.q) };
}

export function paillierPrivateKeyFromJson(json: PaillierPrivateKeyJson | string): PaillierPrivateKey {
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Partial<PaillierPrivateKeyJson> | null;
  if (o === null || typeof o !== "object" || o.v !== 1 || o.alg !== "Paillier-g=n+1")
    throw new TypeError('not a Paillier private key {v:1, alg:"Paillier-g=n+1", p, q}');
  return paillierPrivateKeyFromPrimes(
    bigintFromHex(o.p, "Paillier private key p"),
    bigintFromHex(o.q, "Paillier private key q"),
  );
}
