import { secp256k1 } from "@noble/curves/secp256k1.js";
import { decodeBase64, encodeBase64 } from "ethers";
import { describe, expect, it } from "vitest";
import {
  ECIES_ALG,
  EciesDecryptionError,
  NoWrappedKeyError,
  addressOfPublicKey,
  createWallet,
  eciesUnwrap,
  eciesWrap,
  emrDeletionTypedData,
  generateContentKey,
  keyWrapAad,
  openContent,
  publicKeyFromMessageSignature,
  publicKeyFromTypedDataSignature,
  publicKeyOf,
  rotateContentKey,
  sealContent,
  signInMessage,
  signTypedData,
  typedDataToJson,
  unwrapFor,
  wrapForReaders,
  type EciesWrapped,
} from "../src/index.ts";

const AAD = keyWrapAad("0x" + "ab".repeat(32), 3);

/** Flips one bit of a base64 field. */
function flip(b64: string, byte = 0): string {
  const b = decodeBase64(b64);
  b[byte] = (b[byte] as number) ^ 1;
  return encodeBase64(b);
}

describe("ECIES wrap/unwrap", () => {
  it("round-trips a content key and produces the versioned JSON-safe form", async () => {
    const reader = createWallet();
    const key = generateContentKey();
    const wrapped = await eciesWrap(publicKeyOf(reader.privateKey), key, AAD);
    expect(wrapped.v).toBe(1);
    expect(wrapped.alg).toBe(ECIES_ALG);
    expect(decodeBase64(wrapped.epk)).toHaveLength(33);
    expect(decodeBase64(wrapped.iv)).toHaveLength(12);
    expect(decodeBase64(wrapped.ct)).toHaveLength(32 + 16);
    const viaJson = JSON.parse(JSON.stringify(wrapped)) as EciesWrapped;
    expect(await eciesUnwrap(reader.privateKey, viaJson, AAD)).toEqual(key);
    expect(await eciesUnwrap(reader.privateKey.slice(2), JSON.stringify(wrapped), AAD)).toEqual(key);
  });

  it("accepts compressed and uncompressed public keys alike", async () => {
    const reader = createWallet();
    const key = generateContentKey();
    const uncompressed = reader.signingKey.publicKey; // 0x04…, 65 bytes
    expect(publicKeyOf(reader.privateKey)).toBe(reader.signingKey.compressedPublicKey);
    const wrapped = await eciesWrap(uncompressed, key, AAD);
    expect(await eciesUnwrap(reader.privateKey, wrapped, AAD)).toEqual(key);
    expect(addressOfPublicKey(uncompressed)).toBe(reader.address);
  });

  it("uses a fresh ephemeral key: two wraps of one secret differ", async () => {
    const reader = createWallet();
    const key = generateContentKey();
    const a = await eciesWrap(publicKeyOf(reader.privateKey), key, AAD);
    const b = await eciesWrap(publicKeyOf(reader.privateKey), key, AAD);
    expect(a.epk).not.toBe(b.epk);
    expect(a.ct).not.toBe(b.ct);
  });

  it("rejects a wrong private key", async () => {
    const [reader, other] = [createWallet(), createWallet()];
    const wrapped = await eciesWrap(publicKeyOf(reader.privateKey), generateContentKey(), AAD);
    await expect(eciesUnwrap(other.privateKey, wrapped, AAD)).rejects.toBeInstanceOf(EciesDecryptionError);
    await expect(eciesUnwrap(other.privateKey, wrapped, AAD)).rejects.toThrow(/wrong private key/);
  });

  it("rejects wrong associated data (another record or version)", async () => {
    const reader = createWallet();
    const wrapped = await eciesWrap(publicKeyOf(reader.privateKey), generateContentKey(), AAD);
    await expect(
      eciesUnwrap(reader.privateKey, wrapped, keyWrapAad("0x" + "ab".repeat(32), 4)),
    ).rejects.toThrow(/wrong associated data/);
    await expect(eciesUnwrap(reader.privateKey, wrapped, "")).rejects.toBeInstanceOf(EciesDecryptionError);
  });

  it("detects tampering with epk, iv and ct", async () => {
    const reader = createWallet();
    const wrapped = await eciesWrap(publicKeyOf(reader.privateKey), generateContentKey(), AAD);
    for (const field of ["iv", "ct"] as const) {
      for (const byte of [0, 11]) {
        await expect(
          eciesUnwrap(reader.privateKey, { ...wrapped, [field]: flip(wrapped[field], byte) }, AAD),
        ).rejects.toBeInstanceOf(EciesDecryptionError);
      }
    }
    // another valid point as epk: derivation gives another key, so authentication fails
    const otherEpk = encodeBase64(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
    await expect(eciesUnwrap(reader.privateKey, { ...wrapped, epk: otherEpk }, AAD)).rejects.toBeInstanceOf(
      EciesDecryptionError,
    );
    // a flipped x coordinate is usually not on the curve; either way it must not unwrap
    const badEpks: string[] = [];
    for (let byte = 1; byte < 33 && badEpks.length < 4; byte++) badEpks.push(flip(wrapped.epk, byte));
    for (const epk of badEpks) {
      await expect(eciesUnwrap(reader.privateKey, { ...wrapped, epk }, AAD)).rejects.toThrow(
        /epk is not a valid secp256k1 point|failed authentication/,
      );
    }
    // 0x05 prefix is never a point encoding
    const prefixed = decodeBase64(wrapped.epk);
    prefixed[0] = 5;
    await expect(
      eciesUnwrap(reader.privateKey, { ...wrapped, epk: encodeBase64(prefixed) }, AAD),
    ).rejects.toThrow(/epk is not a valid secp256k1 point/);
  });

  it("names what is wrong in malformed input", async () => {
    const reader = createWallet();
    const pk = publicKeyOf(reader.privateKey);
    const wrapped = await eciesWrap(pk, generateContentKey(), AAD);
    const sk = reader.privateKey;
    await expect(eciesUnwrap(sk, { ...wrapped, v: 2 } as never, AAD)).rejects.toThrow(/unsupported version/);
    await expect(eciesUnwrap(sk, { ...wrapped, alg: "RSA" } as never, AAD)).rejects.toThrow(/alg must be/);
    await expect(eciesUnwrap(sk, { ...wrapped, epk: "not base64!" }, AAD)).rejects.toThrow(
      /epk must be a base64 string/,
    );
    await expect(eciesUnwrap(sk, { ...wrapped, iv: encodeBase64(new Uint8Array(8)) }, AAD)).rejects.toThrow(
      /iv must be 12 bytes/,
    );
    await expect(eciesUnwrap(sk, { ...wrapped, ct: encodeBase64(new Uint8Array(10)) }, AAD)).rejects.toThrow(
      /ct is shorter/,
    );
    await expect(eciesUnwrap(sk, "{not json", AAD)).rejects.toThrow(/not valid JSON/);
    await expect(eciesUnwrap("0x1234", wrapped, AAD)).rejects.toThrow(/private key must be 32 bytes/);
    await expect(eciesWrap("0x02" + "00".repeat(32), generateContentKey(), AAD)).rejects.toThrow(
      /recipient public key is not a valid secp256k1 point/,
    );
    await expect(eciesWrap(reader.address, generateContentKey(), AAD)).rejects.toThrow(
      /recipient public key must be a 33-byte compressed or 65-byte/,
    );
    await expect(eciesWrap(pk, new Uint8Array(0), AAD)).rejects.toThrow(/secret must be 1\.\.1024 bytes/);
    await expect(eciesWrap(pk, generateContentKey(), 7 as never)).rejects.toThrow(/associated data must be/);
  });
});

describe("public keys from signatures", () => {
  it("recovers the signer's public key from a sign-in (EIP-191) signature", async () => {
    const w = createWallet();
    const text = signInMessage({
      address: w.address,
      nonce: "n1",
      issuedAt: Date.now(),
      domain: "localhost:5173",
    });
    const sig = await w.signMessage(text);
    const pk = publicKeyFromMessageSignature(text, sig, w.address);
    expect(pk).toBe(publicKeyOf(w.privateKey));
    // the recovered key is usable for wrapping to that member
    const key = generateContentKey();
    expect(await eciesUnwrap(w.privateKey, await eciesWrap(pk, key, AAD), AAD)).toEqual(key);
    expect(() => publicKeyFromMessageSignature(text + "x", sig, w.address)).toThrow(/not made by/);
    expect(() => publicKeyFromMessageSignature(text, "0x1234")).toThrow(/cannot recover a public key/);
  });

  it("recovers the signer's public key from an EIP-712 signature, JSON-safe form too", async () => {
    const w = createWallet();
    const td = emrDeletionTypedData(
      { name: "EmrRegistry", version: "1", chainId: 1n, verifyingContract: "0x" + "11".repeat(20) },
      { recordId: "0x" + "22".repeat(32), reasonHash: "0x" + "33".repeat(32), nonce: 5n, deadline: 9n },
    );
    const sig = await signTypedData(w, td);
    expect(publicKeyFromTypedDataSignature(td, sig, w.address)).toBe(publicKeyOf(w.privateKey));
    expect(publicKeyFromTypedDataSignature(typedDataToJson(td), sig)).toBe(publicKeyOf(w.privateKey));
    expect(() => publicKeyFromTypedDataSignature(td, sig, createWallet().address)).toThrow(/not made by/);
  });
});

describe("wrapped-key bundles and rotation", () => {
  it("wraps one content key for every reader; each reader unwraps it and reads the content", async () => {
    const readers = [createWallet(), createWallet(), createWallet()];
    const key = generateContentKey();
    const env = await sealContent('{"resourceType":"Bundle"}', key, AAD);
    const bundle = await wrapForReaders(
      key,
      readers.map((w) => ({ id: w.address, publicKey: publicKeyOf(w.privateKey) })),
      AAD,
    );
    expect(Object.keys(bundle).sort()).toEqual(readers.map((w) => w.address).sort());
    for (const w of readers) {
      const k = await unwrapFor(w.address, w.privateKey, JSON.parse(JSON.stringify(bundle)), AAD);
      expect(new TextDecoder().decode(await openContent(env, k, AAD))).toBe('{"resourceType":"Bundle"}');
    }
    const outsider = createWallet();
    await expect(unwrapFor(outsider.address, outsider.privateKey, bundle, AAD)).rejects.toBeInstanceOf(
      NoWrappedKeyError,
    );
    // a reader using someone else's entry fails authentication
    const [a, b] = readers as [typeof outsider, typeof outsider];
    await expect(unwrapFor(b.address, a.privateKey, bundle, AAD)).rejects.toBeInstanceOf(
      EciesDecryptionError,
    );
  });

  it("rejects bad reader lists and keys", async () => {
    const w = createWallet();
    const r = { id: w.address, publicKey: publicKeyOf(w.privateKey) };
    await expect(wrapForReaders(generateContentKey(), [], AAD)).rejects.toThrow(/non-empty array/);
    await expect(wrapForReaders(generateContentKey(), [r, r], AAD)).rejects.toThrow(/listed twice/);
    await expect(wrapForReaders(new Uint8Array(16), [r], AAD)).rejects.toThrow(
      /content key must be 32 bytes/,
    );
    await expect(
      wrapForReaders(generateContentKey(), [{ id: "x", publicKey: "0x1234" }], AAD),
    ).rejects.toThrow(/public key of reader x/);
  });

  it("rotation for revocation: new key, remaining readers only, old version still readable", async () => {
    const [patient, doctor, revoked] = [createWallet(), createWallet(), createWallet()];
    const readers = [patient, doctor, revoked].map((w) => ({
      id: w.address,
      publicKey: publicKeyOf(w.privateKey),
    }));
    const v1Aad = keyWrapAad("rec1", 1);
    const v1Key = generateContentKey();
    const v1 = await wrapForReaders(v1Key, readers, v1Aad);

    const v2Aad = keyWrapAad("rec1", 2);
    const rotated = await rotateContentKey(readers, [revoked.address], v2Aad);
    expect(rotated.contentKey).toHaveLength(32);
    expect(rotated.contentKey).not.toEqual(v1Key);
    expect(rotated.readers.map((r) => r.id)).toEqual([patient.address, doctor.address]);
    for (const w of [patient, doctor])
      expect(await unwrapFor(w.address, w.privateKey, rotated.bundle, v2Aad)).toEqual(rotated.contentKey);
    await expect(unwrapFor(revoked.address, revoked.privateKey, rotated.bundle, v2Aad)).rejects.toThrow(
      /revoked before this version/,
    );
    // what was already readable stays readable: revocation cannot un-read
    expect(await unwrapFor(revoked.address, revoked.privateKey, v1, v1Aad)).toEqual(v1Key);

    await expect(rotateContentKey(readers, ["0xnobody"], v2Aad)).rejects.toThrow(/cannot revoke 0xnobody/);
    await expect(rotateContentKey(readers.slice(0, 1), [patient.address], v2Aad)).rejects.toThrow(
      /leave no reader/,
    );
  });

  it("builds the record:version associated data and rejects bad parts", () => {
    expect(keyWrapAad("rec", 2n)).toBe("rec:2");
    expect(() => keyWrapAad("a:b", 1)).toThrow(/without ':'/);
    expect(() => keyWrapAad("rec", -1)).toThrow(/non-negative integer/);
  });
});
