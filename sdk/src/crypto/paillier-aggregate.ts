/**
 * Encrypted statistics across hospitals: each hospital submits `{ [diagnosis]: Enc(count) }` under
 * the alliance's Paillier public key; anyone (the server) multiplies the ciphertexts per diagnosis,
 * and only the alliance decrypts the totals, never a single hospital's value.
 */
import {
  addAll,
  decryptCount,
  type PaillierCiphertext,
  type PaillierPrivateKey,
  type PaillierPublicKey,
  type PaillierRandomness,
  encryptCount,
} from "./paillier.ts";

/** One hospital's encrypted counts, keyed by diagnosis code (e.g. ICD-10 "I21"). */
export type EncryptedCounts = Record<string, PaillierCiphertext>;

/** A hospital encrypts its counts per diagnosis. */
export function encryptCounts(
  publicKey: PaillierPublicKey,
  counts: Record<string, number | bigint>,
  randomness?: PaillierRandomness,
): EncryptedCounts {
  return Object.fromEntries(
    Object.entries(counts).map(([code, n]) => [code, encryptCount(publicKey, n, randomness)]),
  );
}

/**
 * Encrypted totals per diagnosis over all submissions. A diagnosis missing from a submission counts
 * as zero for that hospital. Every ciphertext is checked (key, range, unit) before it is used.
 */
export function aggregate(
  publicKey: PaillierPublicKey,
  submissions: readonly EncryptedCounts[],
): EncryptedCounts {
  if (!Array.isArray(submissions) || submissions.length === 0)
    throw new TypeError("aggregate needs at least one submission");
  const byDiagnosis = new Map<string, PaillierCiphertext[]>();
  submissions.forEach((submission, i) => {
    if (submission === null || typeof submission !== "object")
      throw new TypeError(`submission ${i} must be an object {diagnosis: ciphertext}`);
    for (const [code, ct] of Object.entries(submission as EncryptedCounts)) {
      const list = byDiagnosis.get(code) ?? [];
      list.push(ct);
      byDiagnosis.set(code, list);
    }
  });
  return Object.fromEntries(
    [...byDiagnosis].map(([code, cts]) => {
      try {
        return [code, addAll(publicKey, cts)];
      } catch (e) {
        throw new Error(`diagnosis ${code}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }),
  );
}

/** The alliance decrypts the totals (CRT); an altered total throws (see decryptCount). */
export function decryptTotals(
  privateKey: PaillierPrivateKey,
  totals: EncryptedCounts,
): Record<string, bigint> {
  return Object.fromEntries(Object.entries(totals).map(([code, ct]) => [code, decryptCount(privateKey, ct)]));
}
