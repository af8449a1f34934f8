import { ZeroHash, getAddress, keccak256, solidityPackedKeccak256, toUtf8Bytes } from "ethers";

/** `keccak256(abi.encodePacked(uint256 createdAtMs, address patient))`, lower-case hex. */
export function recordIdOf(createdAtMs: bigint | number, patient: string): string {
  return solidityPackedKeccak256(["uint256", "address"], [BigInt(createdAtMs), getAddress(patient)]);
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units) recursively, no whitespace,
 * `undefined` members dropped, bigints as decimal strings. Non-finite numbers are rejected.
 */
export function canonicalJson(value: unknown): string {
  const enc = (v: unknown): string | undefined => {
    if (v === null) return "null";
    switch (typeof v) {
      case "string":
      case "boolean":
        return JSON.stringify(v);
      case "number":
        if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: non-finite number ${v}`);
        return JSON.stringify(v);
      case "bigint":
        return JSON.stringify(v.toString());
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
    }
    if (Array.isArray(v)) return `[${v.map((x) => enc(x) ?? "null").join(",")}]`;
    const o = v as Record<string, unknown> & { toJSON?: () => unknown };
    if (typeof o.toJSON === "function") return enc(o.toJSON());
    const parts: string[] = [];
    for (const k of Object.keys(o).sort()) {
      const e = enc(o[k]);
      if (e !== undefined) parts.push(`${JSON.stringify(k)}:${e}`);
    }
    return `{${parts.join(",")}}`;
  };
  const out = enc(value);
  if (out === undefined) throw new TypeError("canonicalJson: value is not serializable");
  return out;
}

/** keccak256 of the UTF-8 canonical JSON of a profile (the PII stays off chain; only this hash goes on). */
export function profileHashOf(profile: object): string {
  return keccak256(toUtf8Bytes(canonicalJson(profile)));
}

/** Zero hash for an empty/absent reason, else keccak256 of its UTF-8 bytes. */
export function reasonHashOf(reason?: string | null): string {
  return reason ? keccak256(toUtf8Bytes(reason)) : ZeroHash;
}
