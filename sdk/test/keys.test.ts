import { describe, expect, it } from "vitest";
import {
  KEYSTORE_SCRYPT_N,
  KeystorePasswordError,
  createWallet,
  decryptKeystore,
  encryptKeystore,
  parseSignInMessage,
  signInMessage,
  signSignInMessage,
  verifySignInSignature,
  walletFromPrivateKey,
} from "../src/index.ts";

describe("wallets and keystores", () => {
  it("creates distinct random wallets and rebuilds from a private key", () => {
    const a = createWallet();
    const b = createWallet();
    expect(a.address).not.toBe(b.address);
    expect(walletFromPrivateKey(a.privateKey).address).toBe(a.address);
    expect(walletFromPrivateKey(a.privateKey.slice(2)).address).toBe(a.address);
  });

  it("round-trips a keystore with scrypt N = 2^14 and rejects a wrong password", async () => {
    const w = createWallet();
    const t0 = Date.now();
    const json = await encryptKeystore(w, "correct horse 电池");
    const parsed = JSON.parse(json);
    expect(parsed.version).toBe(3);
    const c = parsed.crypto ?? parsed.Crypto; // ethers writes "Crypto"; both are accepted by readers
    expect(c.kdf).toBe("scrypt");
    expect(c.kdfparams.n).toBe(KEYSTORE_SCRYPT_N);
    expect(KEYSTORE_SCRYPT_N).toBe(16384);
    expect(parsed.address.toLowerCase()).toBe(w.address.slice(2).toLowerCase());
    const back = await decryptKeystore(json, "correct horse 电池");
    expect(back.privateKey).toBe(w.privateKey);
    await expect(decryptKeystore(json, "wrong")).rejects.toBeInstanceOf(KeystorePasswordError);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe("sign-in", () => {
  const fields = {
    address: "0x00000000000000000000000000000000000000ab",
    nonce: "n-123",
    issuedAt: "2025-01-02T03:04:05.000Z",
    domain: "localhost:5173",
  };

  it("builds the exact text", () => {
    expect(signInMessage(fields)).toBe(
      "医元疗 YiYuanLiao sign-in\nDomain: localhost:5173\nAddress: 0x00000000000000000000000000000000000000AB\nNonce: n-123\nIssued At: 2025-01-02T03:04:05.000Z",
    );
    expect(signInMessage({ ...fields, issuedAt: Date.parse(fields.issuedAt) })).toBe(signInMessage(fields));
    expect(() => signInMessage({ ...fields, nonce: "a\nAddress: 0x" })).toThrow(/one line/);
  });

  it("parses back", () => {
    expect(parseSignInMessage(signInMessage(fields))).toEqual({
      ...fields,
      address: "0x00000000000000000000000000000000000000AB",
    });
    expect(() => parseSignInMessage("hello")).toThrow();
  });

  it("signs with EIP-191 and recovers the signer", async () => {
    const w = createWallet();
    const msg = signInMessage({ ...fields, address: w.address });
    const sig = await signSignInMessage(w, msg);
    expect(verifySignInSignature(msg, sig)).toBe(w.address);
    expect(verifySignInSignature(msg + " ", sig)).not.toBe(w.address);
  });
});
