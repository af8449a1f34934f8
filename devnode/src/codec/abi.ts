// A contract ABI as java-sdk loads it (codec/wrapper/ABIDefinitionFactory.loadABI): constructor,
// functions and events by name, in maps whose key order is Java HashMap order. loadABI answers null
// when the JSON does not bind (e.g. an entry without "type"); WeBASE then fails with an NPE.
import { FunctionFragment, ParamType } from "ethers";

export interface AbiFunction {
  name: string;
  inputs: readonly ParamType[];
  outputs: readonly ParamType[];
  selector: string;
  /** `constant: true`, or stateMutability view/pure/constant (TransService.getABIDefinition) */
  constant: boolean;
  /** stateMutability absent: WeBASE's `getStateMutability().equals(...)` throws an NPE */
  noStateMutability: boolean;
}

export interface AbiEvent {
  name: string;
  inputs: readonly ParamType[];
}

export interface JavaAbi {
  constructorInputs: readonly ParamType[];
  /** insertion (ABI) order; use javaHashMapOrder for Java's iteration order */
  functions: Map<string, AbiFunction[]>;
  events: Map<string, AbiEvent[]>;
}

function params(list: unknown, allowIndexed = false): ParamType[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error("inputs is not a list");
  return list.map((p) => ParamType.from(p as object, allowIndexed));
}

/** java-sdk ABIDefinitionFactory.loadABI on the request's ABI list; null where it would answer null. */
export function loadAbi(entries: unknown): JavaAbi | null {
  if (!Array.isArray(entries)) return null;
  const abi: JavaAbi = { constructorInputs: [], functions: new Map(), events: new Map() };
  try {
    for (const raw of entries) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
      const e = raw as Record<string, unknown>;
      if (typeof e.type !== "string") return null;
      if (e.type === "constructor") abi.constructorInputs = params(e.inputs);
      else if (e.type === "function") {
        const name = typeof e.name === "string" ? e.name : "";
        const inputs = params(e.inputs);
        const sm = typeof e.stateMutability === "string" ? e.stateMutability : undefined;
        const fn: AbiFunction = {
          name,
          inputs,
          outputs: params(e.outputs),
          selector: FunctionFragment.from({ type: "function", name, inputs }).selector,
          constant: e.constant === true || sm === "view" || sm === "pure" || sm === "constant",
          noStateMutability: sm === undefined,
        };
        abi.functions.set(name, [...(abi.functions.get(name) ?? []), fn]);
      } else if (e.type === "event") {
        const name = typeof e.name === "string" ? e.name : "";
        abi.events.set(name, [...(abi.events.get(name) ?? []), { name, inputs: params(e.inputs, true) }]);
      }
    }
  } catch {
    return null;
  }
  return abi;
}

/** The value kind java-sdk's ABIObject gives a scalar type (names appear in its error messages). */
export function valueType(t: ParamType): "BOOL" | "UINT" | "INT" | "ADDRESS" | "BYTES" | "DBYTES" | "STRING" {
  const s = t.type;
  if (s.startsWith("uint")) return "UINT";
  if (s.startsWith("int")) return "INT";
  if (s === "bool") return "BOOL";
  if (s === "string") return "STRING";
  if (s === "bytes") return "DBYTES";
  if (s.startsWith("bytes")) return "BYTES";
  return "ADDRESS";
}

/** The width java-sdk checks an integer against: 8/16/32/64/128 as declared, every other width as 256. */
export function javaIntBits(t: ParamType): number {
  const declared = Number(t.type.replace(/^u?int/, "") || "256");
  return [8, 16, 32, 64, 128].includes(declared) ? declared : 256;
}

/** A type with every integer widened to 256 bits (java-sdk writes all of them as 32-byte words alike). */
export function widened(t: ParamType): string {
  if (t.baseType === "tuple") return `(${t.components!.map(widened).join(",")})`;
  if (t.baseType === "array") {
    const len = t.arrayLength !== null && t.arrayLength >= 0 ? String(t.arrayLength) : "";
    return `${widened(t.arrayChildren!)}[${len}]`;
  }
  if (t.type.startsWith("uint")) return "uint256";
  if (t.type.startsWith("int")) return "int256";
  return t.type;
}

export const isComposite = (t: ParamType): boolean => t.baseType === "tuple" || t.baseType === "array";
