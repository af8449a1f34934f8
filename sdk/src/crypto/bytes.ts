/**
 * Byte helpers shared by the crypto modules: strict base64 and hex parsing (so malformed input
 * is reported by field name instead of being silently decoded), UTF-8 and concatenation.
 */
import { decodeBase64, encodeBase64, toUtf8Bytes } from "ethers";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/;

/** Base64 of `b` (standard alphabet, padded). */
export function toBase64(b: Uint8Array): string {
  return encodeBase64(b);
}

/** Decodes standard padded base64; throws naming `what` when the text is not base64. */
export function fromBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== "string" || !BASE64.test(text)) throw new TypeError(`${what} must be a base64 string`);
  return copyBytes(decodeBase64(text));
}

/** Parses hex with or without 0x; throws naming `what` when it is not an even-length hex string. */
export function fromHex(text: unknown, what: string): Uint8Array {
  const m = typeof text === "string" ? HEX.exec(text) : null;
  if (!m) throw new TypeError(`${what} must be a hex string (even length, 0x optional)`);
  const hex = m[1] ?? "";
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = "0x";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** Bytes given as a Uint8Array or as hex text. */
export function bytesFromInput(x: Uint8Array | string, what: string): Uint8Array {
  if (x instanceof Uint8Array) return copyBytes(x);
  return fromHex(x, what);
}

/** UTF-8 bytes of a string, or a copy of the bytes given. */
export function utf8OrBytes(x: Uint8Array | string): Uint8Array {
  return typeof x === "string" ? toUtf8Bytes(x) : copyBytes(x);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A copy backed by a plain ArrayBuffer (what WebCrypto's types want). */
export function copyBytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.byteLength);
  out.set(b);
  return out;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(length);
  globalThis.crypto.getRandomValues(b);
  return b;
}

export function subtleCrypto(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s)
    throw new Error(
      "WebCrypto (crypto.subtle) is not available: a secure context (https or localhost) is required",
    );
  return s;
}
