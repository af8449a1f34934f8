/**
 * What every typed-data builder shares (eip712.ts and typed/*.ts): the value checks that turn loose
 * input into the exact message values the contracts hash, and the assembly of `{domain, types,
 * primaryType, message}`. Internal: not exported from the package index.
 */
import { hexlify, type TypedDataField } from "ethers";
import type { BigNumberish, Eip712Domain, TypedData } from "../eip712.ts";
import type { PrimaryType } from "./registry.ts";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_HASH = `0x${"00".repeat(32)}`;

/** Lower-case 32-byte hex, so that equal values compare equal as strings. */
export function bytes32(v: string | Uint8Array, what: string): string {
  const h = typeof v === "string" ? v.toLowerCase() : hexlify(v);
  if (!/^0x[0-9a-f]{64}$/.test(h)) throw new TypeError(`${what}: expected 32 bytes hex, got ${h}`);
  return h;
}

export function uint8(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new TypeError(`${what}: not a uint8: ${v}`);
  return v;
}

export function uint256(v: BigNumberish, what: string): bigint {
  const n = BigInt(v);
  if (n < 0n || n >= 1n << 256n) throw new TypeError(`${what}: not a uint256: ${n}`);
  return n;
}

export function int256(v: BigNumberish, what: string): bigint {
  const n = BigInt(v);
  if (n < -(1n << 255n) || n >= 1n << 255n) throw new TypeError(`${what}: not an int256: ${n}`);
  return n;
}

/** Strictly a boolean: `"false"` would be truthy and sign the wrong value. */
export function bool(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") throw new TypeError(`${what}: expected a boolean, got ${String(v)}`);
  return v;
}

/** The one error for typed data whose domain is not the contract that verifies its primary type. */
export function checkVerifyingContract(primaryType: string, contract: string, domainName: unknown): void {
  if (domainName !== contract)
    throw new TypeError(`${primaryType} is verified by ${contract}, not ${String(domainName)}`);
}

/**
 * `{domain, types, primaryType, message}` with `types` holding only the primary type. The field list is
 * copied so that callers may mutate the result without touching the module's declaration.
 */
export function typedDataOf<P extends PrimaryType, M extends Record<string, unknown>>(
  domain: Eip712Domain,
  primaryType: P,
  fields: readonly TypedDataField[],
  message: M,
): TypedData<M, P> {
  return {
    domain,
    types: { [primaryType]: fields.map((f) => ({ name: f.name, type: f.type })) },
    primaryType,
    message,
  };
}
