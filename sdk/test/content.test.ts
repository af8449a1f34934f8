import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64, keccak256, toUtf8Bytes, toUtf8String } from "ethers";
import {
  ContentDecryptionError,
  contentHashOf,
  envelopeJson,
  generateContentKey,
  openContent,
  sealContent,
  unwrapKey,
  wrapKey,
} from "../src/index.ts";

describe("content encryption", () => {
  it("seals and opens (string and bytes, with aad)", async () => {
    const key = generateContentKey();
    expect(key.length).toBe(32);
    const env = await sealContent("病历内容 FHIR bundle", key, "record-1");
    expect(env.v).toBe(1);
    expect(env.alg).toBe("A256GCM");
    expect(decodeBase64(env.iv).length).toBe(12);
    expect(decodeBase64(env.ct).length).toBe(toUtf8Bytes("病历内容 FHIR bundle").length + 16);
    expect(toUtf8String(await openContent(env, key, "record-1"))).toBe("病历内容 FHIR bundle");
    expect(toUtf8String(await openContent(JSON.stringify(env), key, "record-1"))).toBe(
      "病历内容 FHIR bundle",
    );
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(await openContent(await sealContent(bytes, key), key)).toEqual(bytes);
  });

  it("uses a fresh IV every time", async () => {
    const key = generateContentKey();
    const a = await sealContent("x", key);
    const b = await sealContent("x", key);
    expect(a.iv).not.toBe(b.iv);
  });

  it("detects tampering, a wrong key and a wrong aad", async () => {
    const key = generateContentKey();
    const env = await sealContent("secret", key, "aad");
    const ct = decodeBase64(env.ct).slice();
    ct[0] = (ct[0] as number) ^ 1;
    await expect(openContent({ ...env, ct: encodeBase64(ct) }, key, "aad")).rejects.toBeInstanceOf(
      ContentDecryptionError,
    );
    const iv = decodeBase64(env.iv).slice();
    iv[0] = (iv[0] as number) ^ 1;
    await expect(openContent({ ...env, iv: encodeBase64(iv) }, key, "aad")).rejects.toThrow(
      /failed authentication/,
    );
    await expect(openContent(env, generateContentKey(), "aad")).rejects.toBeInstanceOf(
      ContentDecryptionError,
    );
    await expect(openContent(env, key, "other")).rejects.toBeInstanceOf(ContentDecryptionError);
    await expect(openContent(env, key)).rejects.toBeInstanceOf(ContentDecryptionError);
    await expect(openContent({ ...env, v: 2 } as never, key)).rejects.toThrow(/not a content envelope/);
    await expect(sealContent("x", new Uint8Array(16))).rejects.toThrow(/32 bytes/);
  });

  it("hashes the canonical envelope JSON regardless of key order", async () => {
    const env = await sealContent("x", generateContentKey());
    const canonical = `{"alg":"A256GCM","ct":"${env.ct}","iv":"${env.iv}","v":1}`;
    expect(envelopeJson(env)).toBe(canonical);
    const h = keccak256(toUtf8Bytes(canonical));
    expect(contentHashOf(env)).toBe(h);
    expect(contentHashOf(JSON.stringify({ v: 1, iv: env.iv, ct: env.ct, alg: "A256GCM" }))).toBe(h);
    expect(contentHashOf(JSON.stringify(env, null, 2))).toBe(h);
  });

  it("wraps and unwraps a content key under a KEK", async () => {
    const kek = generateContentKey();
    const ck = generateContentKey();
    const wrapped = await wrapKey(ck, kek);
    expect(await unwrapKey(wrapped, kek)).toEqual(ck);
    await expect(unwrapKey(wrapped, generateContentKey())).rejects.toThrow(
      /wrapped key failed authentication/,
    );
    // a wrapped key is not openable as plain content (different aad)
    await expect(openContent(wrapped, kek)).rejects.toBeInstanceOf(ContentDecryptionError);
  });
});
