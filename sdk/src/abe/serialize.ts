// JSON-safe, versioned encodings of FAME keys and ciphertexts (hex of mcl's compressed serialization).
import mcl from "mcl-wasm";
import type { FameHeader, FameMasterKey, FamePublicKey, FameUserKey } from "./fame.ts";
import { normalizeAttribute } from "./policy.ts";

export type AbePublicKeyJson = { v: 1; scheme: "FAME"; kind: "public-key"; hA: string[]; T: string[] };
export type AbeMasterKeyJson = { v: 1; scheme: "FAME"; kind: "master-key"; a: string[]; b: string[]; gd: string[] };
export type AbeUserKeyJson = {
  v: 1;
  scheme: "FAME";
  kind: "user-key";
  K0: string[];
  Kp: string[];
  attributes: { attribute: string; K: string[] }[];
};
export type AbeCiphertextJson = {
  v: 1;
  scheme: "FAME";
  kind: "ciphertext";
  policy: string;
  ct0: string[];
  rows: string[][];
  iv: string;
  sealed: string;
};

type Decoder<T> = (hex: string) => T;
const hex = (x: { serializeToHexStr(): string }): string => x.serializeToHexStr();

function checkEnvelope(json: unknown, kind: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null) throw new Error(`ABE ${kind}: expected an object`);
  const o = json as Record<string, unknown>;
  if (o.v !== 1) throw new Error(`ABE ${kind}: unsupported version ${String(o.v)} (expected 1)`);
  if (o.scheme !== "FAME") throw new Error(`ABE ${kind}: unsupported scheme ${String(o.scheme)} (expected FAME)`);
  if (o.kind !== kind) throw new Error(`ABE ${kind}: object is a ${String(o.kind)}`);
  return o;
}

// mcl-wasm, with its default settings, refuses to deserialize a point that is off the curve or outside the
// prime-order subgroup (which keeps small-subgroup components out of the pairings); isValid() repeats that
// check as a guard in case a caller in the same process turned mcl's order check off.
//
// Ciphertext rows are the exception: checking each of them would cost about 0.4 ms per G1 point, so they are
// read with only the on-curve check, and decapsulation checks the three combined row sums, the only
// row-derived points that enter a pairing (fame.ts). mcl's switch is global; it is turned off only inside
// this synchronous call, so no other code can run while it is off.
function withoutG1OrderCheck<T>(read: () => T): T {
  mcl.verifyOrderG1(false);
  try {
    return read();
  } finally {
    mcl.verifyOrderG1(true); // mcl's default
  }
}

function decodeList<T>(value: unknown, count: number, decode: Decoder<T>, what: string, checkOrder = true): T[] {
  if (!Array.isArray(value) || value.length !== count) throw new Error(`ABE ${what}: expected ${count} elements`);
  return value.map((item, i) => {
    if (typeof item !== "string" || !/^[0-9a-f]+$/i.test(item)) throw new Error(`ABE ${what}[${i}]: not a hex string`);
    try {
      const decoded = decode(item);
      const point = decoded as { isValid?: () => boolean; isValidOrder?: () => boolean };
      if (point.isValid?.() === false || (checkOrder && point.isValidOrder?.() === false)) throw new Error("invalid point");
      return decoded;
    } catch {
      throw new Error(`ABE ${what}[${i}]: not a valid group element`);
    }
  });
}

const g1: Decoder<mcl.G1> = (s) => mcl.deserializeHexStrToG1(s);
const g2: Decoder<mcl.G2> = (s) => mcl.deserializeHexStrToG2(s);
const gt: Decoder<mcl.GT> = (s) => mcl.deserializeHexStrToGT(s);
const fr: Decoder<mcl.Fr> = (s) => mcl.deserializeHexStrToFr(s);

export function serializePublicKey(pk: FamePublicKey): AbePublicKeyJson {
  return { v: 1, scheme: "FAME", kind: "public-key", hA: pk.hA.map(hex), T: pk.T.map(hex) };
}
export function deserializePublicKey(json: unknown): FamePublicKey {
  const o = checkEnvelope(json, "public-key");
  return {
    hA: decodeList(o.hA, 2, g2, "public-key.hA") as [mcl.G2, mcl.G2],
    T: decodeList(o.T, 2, gt, "public-key.T") as [mcl.GT, mcl.GT],
  };
}

export function serializeMasterKey(mk: FameMasterKey): AbeMasterKeyJson {
  return { v: 1, scheme: "FAME", kind: "master-key", a: mk.a.map(hex), b: mk.b.map(hex), gd: mk.gd.map(hex) };
}
export function deserializeMasterKey(json: unknown): FameMasterKey {
  const o = checkEnvelope(json, "master-key");
  return {
    a: decodeList(o.a, 2, fr, "master-key.a") as [mcl.Fr, mcl.Fr],
    b: decodeList(o.b, 2, fr, "master-key.b") as [mcl.Fr, mcl.Fr],
    gd: decodeList(o.gd, 3, g1, "master-key.gd") as [mcl.G1, mcl.G1, mcl.G1],
  };
}

export function serializeUserKey(key: FameUserKey): AbeUserKeyJson {
  return {
    v: 1,
    scheme: "FAME",
    kind: "user-key",
    K0: key.K0.map(hex),
    Kp: key.Kp.map(hex),
    attributes: key.attributes.map((attribute) => ({ attribute, K: key.Ky.get(attribute)!.map(hex) })),
  };
}
export function deserializeUserKey(json: unknown): FameUserKey {
  const o = checkEnvelope(json, "user-key");
  if (!Array.isArray(o.attributes) || o.attributes.length === 0) throw new Error("ABE user-key.attributes: expected a non-empty list");
  const Ky = new Map<string, [mcl.G1, mcl.G1, mcl.G1]>();
  for (const entry of o.attributes as { attribute?: unknown; K?: unknown }[]) {
    const attribute = normalizeAttribute(String(entry?.attribute));
    Ky.set(attribute, decodeList(entry?.K, 3, g1, `user-key "${attribute}"`) as [mcl.G1, mcl.G1, mcl.G1]);
  }
  return {
    attributes: [...Ky.keys()],
    K0: decodeList(o.K0, 3, g2, "user-key.K0") as [mcl.G2, mcl.G2, mcl.G2],
    Kp: decodeList(o.Kp, 3, g1, "user-key.Kp") as [mcl.G1, mcl.G1, mcl.G1],
    Ky,
  };
}

export function serializeHeader(header: FameHeader, iv: Uint8Array, sealed: Uint8Array): AbeCiphertextJson {
  return {
    v: 1,
    scheme: "FAME",
    kind: "ciphertext",
    policy: header.policy,
    ct0: header.ct0.map(hex),
    rows: header.rows.map((row) => row.map(hex)),
    iv: mcl.toHexStr(iv),
    sealed: mcl.toHexStr(sealed),
  };
}
export function deserializeHeader(json: unknown): { header: FameHeader; iv: Uint8Array; sealed: Uint8Array } {
  const o = checkEnvelope(json, "ciphertext");
  if (typeof o.policy !== "string") throw new Error("ABE ciphertext.policy: expected a string");
  if (!Array.isArray(o.rows)) throw new Error("ABE ciphertext.rows: expected a list");
  for (const field of ["iv", "sealed"] as const) {
    const value = o[field];
    if (typeof value !== "string" || value.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(value)) {
      throw new Error(`ABE ciphertext.${field}: expected an even-length hex string`);
    }
  }
  return {
    header: {
      policy: o.policy,
      ct0: decodeList(o.ct0, 3, g2, "ciphertext.ct0") as [mcl.G2, mcl.G2, mcl.G2],
      rows: withoutG1OrderCheck(() =>
        (o.rows as unknown[]).map((row, i) => decodeList(row, 3, g1, `ciphertext.rows[${i}]`, false) as [mcl.G1, mcl.G1, mcl.G1]),
      ),
    },
    iv: mcl.fromHexStr(o.iv as string),
    sealed: mcl.fromHexStr(o.sealed as string),
  };
}
