import { beforeAll, describe, expect, it } from "vitest";
import {
  PAILLIER_MAX_COUNT,
  PaillierRandomness,
  addAll,
  aggregate,
  ciphertextToJson,
  decryptCount,
  decryptCrt,
  decryptPlain,
  decryptTotals,
  encryptCount,
  encryptCounts,
  generatePaillierKeyPair,
  paillierKeyId,
  paillierPrivateKeyFromJson,
  paillierPrivateKeyToJson,
  paillierPublicKeyFromJson,
  paillierPublicKeyToJson,
  parseCiphertext,
  toLibraryPrivateKey,
  type PaillierCiphertext,
  type PaillierKeyPair,
} from "../src/index.ts";
import { bitLength } from "../src/crypto/bigint-math.ts";

let alliance: PaillierKeyPair;
let other: PaillierKeyPair;

beforeAll(async () => {
  [alliance, other] = await Promise.all([generatePaillierKeyPair(), generatePaillierKeyPair()]);
}, 180_000);

function randomCount(max = 100_000): number {
  const b = new Uint32Array(1);
  globalThis.crypto.getRandomValues(b);
  return (b[0] as number) % max;
}

describe("Paillier keys", () => {
  it("generates 2048-bit keys with g = n + 1 and p·q = n", async () => {
    const { publicKey, privateKey } = alliance;
    expect(bitLength(publicKey.n)).toBe(2048);
    expect(publicKey.g).toBe(publicKey.n + 1n);
    expect(privateKey.p * privateKey.q).toBe(publicKey.n);
    expect(privateKey.p).not.toBe(privateKey.q);
    expect(paillierKeyId(publicKey)).not.toBe(paillierKeyId(other.publicKey));
    await expect(generatePaillierKeyPair(1024)).rejects.toThrow(/at least 2048 bits/);
  });

  it("serializes public and private keys and round-trips them", () => {
    const pkJson = JSON.stringify(paillierPublicKeyToJson(alliance.publicKey));
    const pk = paillierPublicKeyFromJson(pkJson);
    expect(pk.n).toBe(alliance.publicKey.n);
    expect(pk.g).toBe(alliance.publicKey.g);
    const skJson = JSON.stringify(paillierPrivateKeyToJson(alliance.privateKey));
    const sk = paillierPrivateKeyFromJson(skJson);
    expect(sk.publicKey.n).toBe(alliance.publicKey.n);
    // a count encrypted under the re-imported public key decrypts with the re-imported private key
    const ct = encryptCount(pk, 1234);
    expect(decryptCount(sk, JSON.parse(JSON.stringify(ct)) as PaillierCiphertext)).toBe(1234n);
    expect(decryptCount(alliance.privateKey, ct)).toBe(1234n);
    expect(() =>
      paillierPublicKeyFromJson({
        v: 1,
        alg: "Paillier-g=n+1",
        n: "0x" + (alliance.publicKey.n >> 1100n).toString(16),
      }),
    ).toThrow(/at least 2048 bits/);
    expect(() => paillierPublicKeyFromJson({ v: 1, alg: "Paillier-g=n+1", n: "12345" })).toThrow(
      /0x-prefixed hex/,
    );
    expect(() => paillierPrivateKeyFromJson({ v: 2 } as never)).toThrow(/not a Paillier private key/);
  });
});

describe("Paillier encryption, addition and decryption", () => {
  it("decrypt(Σ Enc(xᵢ)) = Σ xᵢ for random counts, with and without precomputed randomness", async () => {
    const { publicKey, privateKey } = alliance;
    const pool = new PaillierRandomness(publicKey);
    await pool.fill(6);
    expect(pool.size).toBe(6);
    const counts = Array.from({ length: 12 }, () => randomCount());
    const cts = counts.map((x, i) =>
      i % 2 === 0 ? encryptCount(publicKey, x, pool) : encryptCount(publicKey, x),
    );
    expect(pool.size).toBe(0);
    const sum = addAll(publicKey, cts);
    expect(decryptCount(privateKey, sum)).toBe(BigInt(counts.reduce((a, b) => a + b, 0)));
    for (const [i, ct] of cts.slice(0, 3).entries())
      expect(decryptCount(privateKey, ct)).toBe(BigInt(counts[i] as number));
  });

  it("is randomized: two encryptions of one count differ", () => {
    const a = encryptCount(alliance.publicKey, 7);
    const b = encryptCount(alliance.publicKey, 7);
    expect(a.c).not.toBe(b.c);
  });

  it("CRT decryption equals plain decryption and paillier-bigint's decrypt", () => {
    const { publicKey, privateKey } = alliance;
    const lib = toLibraryPrivateKey(privateKey);
    for (const x of [0, 1, randomCount(), Number(PAILLIER_MAX_COUNT)]) {
      const c = parseCiphertext(publicKey, encryptCount(publicKey, x));
      const crt = decryptCrt(privateKey, c);
      expect(crt).toBe(BigInt(x));
      expect(decryptPlain(privateKey, c)).toBe(crt);
      expect(lib.decrypt(c)).toBe(crt);
    }
    // also for a value near n, encrypted by the library itself (its random r, our g = n + 1)
    const big = publicKey.n - 5n;
    const c = publicKey.encrypt(big);
    expect(decryptCrt(privateKey, c)).toBe(big);
    expect(decryptPlain(privateKey, c)).toBe(big);
  });

  it("rejects out-of-range plaintexts", () => {
    const pk = alliance.publicKey;
    expect(() => encryptCount(pk, -1)).toThrow(/must not be negative/);
    expect(() => encryptCount(pk, 1.5)).toThrow(/must be an integer/);
    expect(() => encryptCount(pk, Number.NaN)).toThrow(/must be an integer/);
    expect(() => encryptCount(pk, PAILLIER_MAX_COUNT + 1n)).toThrow(/out of range/);
    expect(() => encryptCount(pk, pk.n)).toThrow(/out of range/);
    expect(() => encryptCount(pk, "3" as never)).toThrow(/number or bigint/);
  });

  it("detects foreign, out-of-range, non-unit and malformed ciphertexts", () => {
    const { publicKey, privateKey } = alliance;
    const good = encryptCount(publicKey, 5);
    const foreign = encryptCount(other.publicKey, 5);
    expect(() => addAll(publicKey, [good, foreign])).toThrow(/made under another key/);
    expect(() => decryptCount(privateKey, foreign)).toThrow(/made under another key/);
    // the same value relabelled as ours is still caught when it is ≥ n² or not a unit; otherwise it decrypts to garbage
    const n2 = publicKey._n2;
    expect(() => parseCiphertext(publicKey, ciphertextToJson(publicKey, n2))).toThrow(/out of range/);
    expect(() => parseCiphertext(publicKey, ciphertextToJson(publicKey, n2 + 5n))).toThrow(/out of range/);
    expect(() => parseCiphertext(publicKey, ciphertextToJson(publicKey, 0n))).toThrow(/out of range/);
    expect(() => parseCiphertext(publicKey, ciphertextToJson(publicKey, privateKey.p * 7n))).toThrow(
      /shares a factor with n/,
    );
    expect(() => parseCiphertext(publicKey, { ...good, c: "12" })).toThrow(/0x-prefixed hex/);
    expect(() => parseCiphertext(publicKey, { v: 2 } as never)).toThrow(/not a Paillier ciphertext/);
    expect(() => addAll(publicKey, [])).toThrow(/at least one ciphertext/);
    expect(() => encryptCount(publicKey, 1, new PaillierRandomness(other.publicKey))).toThrow(
      /another Paillier key/,
    );
  });

  it("flags an altered ciphertext whose decryption is not a plausible total", () => {
    const { publicKey, privateKey } = alliance;
    const ct = encryptCount(publicKey, 42);
    const c = parseCiphertext(publicKey, ct);
    // multiply by a random unit that is not an n-th power: the plaintext becomes a large random value
    const altered = ciphertextToJson(publicKey, (c * 2n) % publicKey._n2);
    expect(() => decryptCount(privateKey, altered)).toThrow(/altered or is not a sum of counts/);
  });
});

describe("encrypted statistics across hospitals", () => {
  it("sums per-diagnosis counts from several hospitals without decrypting any single one", async () => {
    const { publicKey, privateKey } = alliance;
    const hospitalPk = paillierPublicKeyFromJson(
      JSON.parse(JSON.stringify(paillierPublicKeyToJson(publicKey))),
    );
    const codes = ["I21", "E11", "J45"];
    const plain: Record<string, number>[] = [];
    const submissions = [];
    for (let h = 0; h < 4; h++) {
      // hospital 3 reports no J45 cases by leaving it out
      const counts = Object.fromEntries(
        codes.filter((c) => h !== 3 || c !== "J45").map((c) => [c, randomCount(5000)]),
      );
      plain.push(counts);
      submissions.push(JSON.parse(JSON.stringify(encryptCounts(hospitalPk, counts))));
    }
    const totals = aggregate(publicKey, submissions);
    expect(Object.keys(totals).sort()).toEqual([...codes].sort());
    const decrypted = decryptTotals(privateKey, totals);
    for (const c of codes) expect(decrypted[c]).toBe(BigInt(plain.reduce((s, p) => s + (p[c] ?? 0), 0)));
    // a foreign ciphertext in one submission is reported with its diagnosis
    const bad = [...submissions, { E11: encryptCount(other.publicKey, 1) }];
    expect(() => aggregate(publicKey, bad)).toThrow(/diagnosis E11: .*another key/);
    expect(() => aggregate(publicKey, [])).toThrow(/at least one submission/);
  });
});
