import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import {
  SHARE_SCRYPT_N,
  ShareError,
  createWallet,
  decryptShare,
  encryptShare,
  parseShare,
  recoverKey,
  splitKey,
} from "../src/index.ts";

/** All k-element subsets of xs. */
function subsets<T>(xs: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [h, ...rest] = xs as [T, ...T[]];
  return [...subsets(rest, k - 1).map((s) => [h, ...s]), ...subsets(rest, k)];
}

/** Rewrites a share's fields and recomputes its (public) checksum: what a forger could do. */
function forge(share: string, edit: (parts: string[]) => void): string {
  const parts = share.split(":").slice(0, 7);
  edit(parts);
  const body = parts.join(":");
  return `${body}:${bytesToHex(sha256(utf8ToBytes(body)).slice(0, 4))}`;
}

describe("Shamir key recovery", () => {
  it("any t of n shares recover the key; the shares carry address, index and threshold", async () => {
    const w = createWallet();
    const shares = await splitKey(w.privateKey, { shares: 5, threshold: 3 });
    expect(shares).toHaveLength(5);
    shares.forEach((s, i) => {
      const p = parseShare(s);
      expect(p.address).toBe(w.address);
      expect(p.index).toBe(i + 1);
      expect([p.threshold, p.shares]).toEqual([3, 5]);
      expect(s).not.toContain(w.privateKey.slice(2));
    });
    for (const subset of subsets(shares, 3)) expect(await recoverKey(subset)).toBe(w.privateKey);
    expect(await recoverKey(shares)).toBe(w.privateKey);
  });

  it("t-1 shares do not recover and the error says how many are needed", async () => {
    const w = createWallet();
    const shares = await splitKey(w.privateKey, { shares: 4, threshold: 3 });
    await expect(recoverKey(shares.slice(0, 2))).rejects.toThrow(/need 3 shares .* got 2/);
    // Lowering the threshold in the headers does not help: 2 points do not fix a degree-2 polynomial.
    const lowered = shares.slice(0, 2).map((s) => forge(s, (p) => (p[3] = "2")));
    await expect(recoverKey(lowered)).rejects.toThrow(/does not match/);
  });

  it("refuses shares of two different keys", async () => {
    const a = await splitKey(createWallet().privateKey, { shares: 3, threshold: 2 });
    const b = await splitKey(createWallet().privateKey, { shares: 3, threshold: 2 });
    await expect(recoverKey([a[0]!, b[1]!])).rejects.toThrow(/different keys/);
    // Same address label but data from another key: caught by the address check.
    const relabelled = forge(b[1]!, (p) => (p[2] = a[0]!.split(":")[2]!));
    await expect(recoverKey([a[0]!, relabelled])).rejects.toThrow(/does not match/);
  });

  it("detects a mistyped or corrupted share", async () => {
    const shares = await splitKey(createWallet().privateKey, { shares: 3, threshold: 2 });
    const s = shares[1]!;
    const at = s.lastIndexOf(":") - 5; // a digit inside the share data
    const typo = s.slice(0, at) + (s[at] === "a" ? "b" : "a") + s.slice(at + 1);
    expect(() => parseShare(typo)).toThrow(/checksum mismatch/);
    await expect(recoverKey([shares[0]!, typo])).rejects.toThrow(/share 2: share checksum mismatch/);
    expect(() => parseShare("hello")).toThrow(/not a key share/);
    expect(parseShare(s.toUpperCase()).data).toEqual(parseShare(s).data);
    await expect(recoverKey([shares[0]!, shares[0]!])).rejects.toThrow(/same share was given twice/);
  });

  it("rejects bad split parameters and bad keys, naming them", async () => {
    const k = createWallet().privateKey;
    await expect(splitKey(k, { shares: 3, threshold: 1 })).rejects.toThrow(/threshold 1/);
    await expect(splitKey(k, { shares: 11, threshold: 2 })).rejects.toThrow(/shares 11/);
    await expect(splitKey(k, { shares: 3, threshold: 4 })).rejects.toThrow(/threshold 4, shares 3/);
    await expect(splitKey("0x1234", { shares: 3, threshold: 2 })).rejects.toThrow(/32 bytes/);
    await expect(splitKey(`0x${"00".repeat(32)}`, { shares: 3, threshold: 2 })).rejects.toThrow(/not a valid secp256k1 key/);
  });

  it("password-sealed shares round-trip, refuse a wrong password and weak scrypt", async () => {
    const w = createWallet();
    const shares = await splitKey(w.privateKey, { shares: 3, threshold: 2 });
    const sealed = await encryptShare(shares[0]!, "guardian 密码 1");
    const json = JSON.parse(sealed);
    expect(json.kdf.N).toBeGreaterThanOrEqual(SHARE_SCRYPT_N);
    expect(SHARE_SCRYPT_N).toBe(32768);
    expect(sealed).not.toContain(shares[0]!.split(":")[6]);
    const opened = await decryptShare(sealed, "guardian 密码 1");
    expect(opened).toBe(shares[0]);
    expect(await recoverKey([opened, shares[2]!])).toBe(w.privateKey);
    await expect(decryptShare(sealed, "guardian 密码 2")).rejects.toThrow(/wrong password/);
    const relabelled = JSON.stringify({ ...json, index: 2 });
    await expect(decryptShare(relabelled, "guardian 密码 1")).rejects.toBeInstanceOf(ShareError);
    await expect(encryptShare(shares[0]!, "pw", { scryptN: 1 << 14 })).rejects.toThrow(/at least 2\^15/);
  });
});
