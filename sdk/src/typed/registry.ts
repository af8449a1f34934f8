/**
 * The one registry of 医元疗's EIP-712 primary types. Each module (eip712.ts, typed/consent.ts,
 * typed/care.ts, typed/research.ts) declares its own field lists and, where the domain name is fixed,
 * the contract that verifies each type; a new module's types are added to `EIP712_TYPES` below. That
 * one registry is what lets a single `TypedData`, `signTypedData` (keys.ts), `verifyTypedSignature`,
 * `typedDataToJson` (eip712.ts) and `typedDataFromJson` (here) serve every type.
 *
 * This module imports every typed module, so they import it for types only: a run-time import back
 * would be a cycle in which a module's constants could be read before they are initialised.
 */
import type { TypedDataField } from "ethers";
import { CORE_EIP712_TYPES, domainOf, type BigNumberish, type TypedData } from "../eip712.ts";
import { CARE_CONTRACT_OF, CARE_EIP712_TYPES } from "./care.ts";
import { CONSENT_CONTRACT_OF, CONSENT_EIP712_TYPES } from "./consent.ts";
import { RESEARCH_ACTION_TYPES, RESEARCH_CONTRACT_OF } from "./research.ts";
import { checkVerifyingContract, typedDataOf } from "./build.ts";

type FieldGroup = Readonly<Record<string, readonly TypedDataField[]>>;
type Merged<T extends readonly FieldGroup[]> = T extends readonly [
  infer H,
  ...infer R extends readonly FieldGroup[],
]
  ? H & Merged<R>
  : unknown;

/** Merges the modules' groups, refusing a primary type declared twice (a spread would silently keep one). */
function register<const T extends readonly FieldGroup[]>(...groups: T): Merged<T> {
  const all: Record<string, readonly TypedDataField[]> = {};
  for (const group of groups) {
    for (const [name, fields] of Object.entries(group)) {
      if (Object.prototype.hasOwnProperty.call(all, name))
        throw new Error(`EIP-712 primary type ${name} is declared twice`);
      all[name] = fields;
    }
  }
  return Object.freeze(all) as Merged<T>;
}

/** Every primary type's field list, keyed by primary type. */
export const EIP712_TYPES = register(
  CORE_EIP712_TYPES,
  CONSENT_EIP712_TYPES,
  CARE_EIP712_TYPES,
  RESEARCH_ACTION_TYPES,
);
export type PrimaryType = keyof typeof EIP712_TYPES & string;

/**
 * The contract (domain name) that verifies a primary type, for the types whose module fixes it;
 * `typedDataFromJson` refuses those in any other domain.
 */
export const VERIFYING_CONTRACT_OF: Readonly<Partial<Record<PrimaryType, string>>> = Object.freeze({
  ...CONSENT_CONTRACT_OF,
  ...CARE_CONTRACT_OF,
  ...RESEARCH_CONTRACT_OF,
});

export function isPrimaryType(name: unknown): name is PrimaryType {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(EIP712_TYPES, name);
}

/**
 * Reads any registered typed-data object received as JSON (or its JSON text) back: uint256/int256
 * fields and chainId → bigint. Checks that `types` equals the registered fields of its primary type
 * exactly (an EIP712Domain entry is tolerated) and, where fixed, that the domain is the verifying
 * contract, so a server cannot have a user sign something other than what the sdk would build.
 */
export function typedDataFromJson(json: unknown): TypedData {
  const o = (typeof json === "string" ? JSON.parse(json) : json) as Partial<
    Record<"domain" | "types" | "message", Record<string, unknown>> & { primaryType: unknown }
  > | null;
  if (!o || typeof o !== "object" || !o.domain || !o.types || !o.primaryType || !o.message)
    throw new TypeError("not a typed-data object");
  const primaryType = o.primaryType;
  if (!isPrimaryType(primaryType)) throw new TypeError(`unknown primaryType ${String(primaryType)}`);
  const expected: readonly TypedDataField[] = EIP712_TYPES[primaryType];
  const { EIP712Domain: _ignored, ...rest } = o.types;
  void _ignored;
  if (JSON.stringify(rest) !== JSON.stringify({ [primaryType]: expected }))
    throw new TypeError(`types do not match ${primaryType}`);
  const d = o.domain;
  const contract = VERIFYING_CONTRACT_OF[primaryType];
  if (contract !== undefined) checkVerifyingContract(primaryType, contract, d.name);
  const message: Record<string, unknown> = { ...o.message };
  for (const f of expected) {
    if ((f.type === "uint256" || f.type === "int256") && message[f.name] !== undefined)
      message[f.name] = BigInt(message[f.name] as BigNumberish);
  }
  return typedDataOf(
    domainOf(String(d.name), d.chainId as BigNumberish, String(d.verifyingContract)),
    primaryType,
    expected,
    message,
  );
}
