// WeBASE `funcParam` strings → ABI values, ABI results → strings, revert data → readable reasons.
//
// WeBASE-Front (≥ 3.0.2) takes every argument as a string: numbers in decimal, bool "true"/"false",
// address/bytes/bytesN as 0x-hex, string as is, arrays as a JSON string. Call results come back as
// java-sdk's ABICodec.decodeMethodToString renders them: one string per output.
import {
  AbiCoder,
  ErrorFragment,
  Fragment,
  FunctionFragment,
  Interface,
  ParamType,
  dataLength,
  isHexString,
} from "ethers";
import { Code, FrontError } from "./errors.ts";

const coder = AbiCoder.defaultAbiCoder();

/** Build an Interface from a WeBASE ABI argument (array, single entry or JSON text), skipping entries ethers cannot read. */
export function parseAbi(input: unknown): Interface {
  let entries: unknown = input;
  if (typeof entries === "string") {
    try {
      entries = JSON.parse(entries);
    } catch {
      throw new FrontError(Code.PARAM_VALID_FAIL, "contractAbi is not valid JSON");
    }
  }
  if (entries && typeof entries === "object" && !Array.isArray(entries)) entries = [entries];
  if (!Array.isArray(entries))
    throw new FrontError(Code.PARAM_VALID_FAIL, "contractAbi must be a JSON array");
  const fragments: Fragment[] = [];
  for (const e of entries) {
    try {
      fragments.push(Fragment.from(e as object));
    } catch {
      /* an entry we do not understand (e.g. liquid/wasm extensions): not needed here */
    }
  }
  return new Interface(fragments);
}

/** Java-sdk decides call vs transaction from the ABI: constant, view or pure is a call. */
export function isCall(f: FunctionFragment): boolean {
  return f.constant || f.stateMutability === "view" || f.stateMutability === "pure";
}

/** The function named `funcName` taking `argCount` arguments (overloads are told apart by arity). */
export function findFunction(iface: Interface, funcName: string, argCount: number): FunctionFragment {
  const candidates: FunctionFragment[] = [];
  iface.forEachFunction((f) => {
    if (f.name === funcName) candidates.push(f);
  });
  if (candidates.length === 0) throw new FrontError(Code.FUNCTION_ERROR, "request function is error");
  const exact = candidates.filter((f) => f.inputs.length === argCount);
  const f = exact[0] ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!f || exact.length > 1) throw new FrontError(Code.FUNC_PARAM_ERROR, "contract funcParam is error");
  return f;
}

/** funcParam (strings) → values for the ABI coder. Throws 201011 on arity, 201153 on a bad value. */
export function paramsToValues(inputs: readonly ParamType[], funcParam: unknown): unknown[] {
  const params = funcParam === undefined || funcParam === null ? [] : funcParam;
  if (!Array.isArray(params) || params.length !== inputs.length) {
    throw new FrontError(Code.FUNC_PARAM_ERROR, "contract funcParam is error");
  }
  return inputs.map((t, i) => toValue(t, params[i], false));
}

/** Encode arguments, turning the coder's own range/size errors into 201153. */
export function encodeArgs(inputs: readonly ParamType[], values: unknown[]): string {
  try {
    return coder.encode(inputs, values);
  } catch (e) {
    throw new FrontError(
      Code.UNABLE_TO_CREATE_INSTANCE,
      "unable to create instance of type, check input params",
      shortMessage(e),
    );
  }
}

function bad(t: ParamType, v: unknown): FrontError {
  return new FrontError(
    Code.UNABLE_TO_CREATE_INSTANCE,
    "unable to create instance of type, check input params",
    `${t.type}: ${JSON.stringify(v)}`,
  );
}

/** One funcParam-style string (or JSON value) → a value for the ABI coder. */
export function toValue(t: ParamType, raw: unknown, nested = false): unknown {
  if (t.baseType === "tuple") {
    throw new FrontError(Code.UNSUPPORTED_ENCODE_TYPE, "unsupported type to encode", t.type);
  }
  if (t.baseType === "array") {
    let arr = raw;
    if (typeof arr === "string") {
      try {
        arr = JSON.parse(arr);
      } catch {
        throw bad(t, raw);
      }
    }
    if (!Array.isArray(arr)) throw bad(t, raw);
    if (t.arrayLength !== null && t.arrayLength >= 0 && arr.length !== t.arrayLength) throw bad(t, raw);
    const child = t.arrayChildren!;
    return arr.map((x) => toValue(child, x, true));
  }
  // Inside a JSON array, elements may be JSON numbers/booleans rather than strings.
  const s =
    typeof raw === "string"
      ? raw
      : nested && (typeof raw === "number" || typeof raw === "boolean")
        ? String(raw)
        : undefined;
  if (s === undefined) {
    // Outside arrays WeBASE takes strings; be tolerant of JSON numbers and booleans too.
    if (typeof raw === "number" || typeof raw === "boolean") return toValue(t, String(raw), nested);
    throw bad(t, raw);
  }
  const v = s.trim();
  if (t.type.startsWith("uint") || t.type.startsWith("int")) {
    if (/^-?[0-9]+$/.test(v) || /^0x[0-9a-fA-F]+$/.test(v)) {
      const n = BigInt(v);
      const bits = Number(t.type.replace(/^u?int/, "") || "256");
      const signed = t.type.startsWith("int");
      const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
      const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
      if (n < min || n > max) throw bad(t, raw);
      return n;
    }
    throw bad(t, raw);
  }
  if (t.type === "bool") {
    if (v === "true") return true;
    if (v === "false") return false;
    throw bad(t, raw);
  }
  if (t.type === "address") {
    const a = v.startsWith("0x") || v.startsWith("0X") ? v.slice(2) : v;
    if (!/^[0-9a-fA-F]{40}$/.test(a)) throw bad(t, raw);
    return "0x" + a.toLowerCase(); // lower-cased: ethers would reject a wrong checksum
  }
  if (t.type === "string") return s; // as is, not trimmed
  if (t.type === "bytes") {
    if (!isHexString(v) || v.length % 2 !== 0) throw bad(t, raw);
    return v.toLowerCase();
  }
  const fixed = /^bytes([0-9]+)$/.exec(t.type);
  if (fixed) {
    if (!isHexString(v) || dataLength(v) !== Number(fixed[1])) throw bad(t, raw);
    return v.toLowerCase();
  }
  throw new FrontError(Code.UNSUPPORTED_ENCODE_TYPE, "unsupported type to encode", t.type);
}

/** Decode a call's return data to WeBASE's list of strings. */
export function decodeResultToStrings(outputs: readonly ParamType[], data: string): string[] {
  const values = coder.decode(outputs, data);
  return outputs.map((t, i) => formatTop(t, values[i]));
}

/** Decode all parameters of a log (indexed ones from topics, in ABI order) to strings. */
export function formatDecodedArgs(inputs: readonly ParamType[], values: ArrayLike<unknown>): string[] {
  return inputs.map((t, i) => formatTop(t, values[i]));
}

/** Top-level values: scalars are bare strings; arrays/tuples are JSON text. */
export function formatTop(t: ParamType, v: unknown): string {
  if (t.baseType === "array" || t.baseType === "tuple") return formatJson(t, v);
  return formatScalar(t, v);
}

function formatScalar(t: ParamType, v: unknown): string {
  if (t.type === "bool") return v ? "true" : "false";
  if (t.type === "address") return String(v).toLowerCase();
  if (typeof v === "bigint") return v.toString(10);
  if (typeof v === "string") return t.type.startsWith("bytes") ? v.toLowerCase() : v;
  // An indexed dynamic value (string/bytes/array) decodes to an Indexed holder with its topic hash.
  const hash = (v as { hash?: unknown } | null)?.hash;
  if (typeof hash === "string") return hash;
  return String(v);
}

// Nested values rendered like Jackson renders java-sdk's JSON nodes: numbers and booleans bare,
// everything else quoted. (Array formatting is not verified against a real WeBASE-Front.)
function formatJson(t: ParamType, v: unknown): string {
  if ((v as { hash?: unknown } | null)?.hash !== undefined && !Array.isArray(v)) return formatScalar(t, v);
  if (t.baseType === "array") {
    const items = Array.from(v as ArrayLike<unknown>);
    return "[" + items.map((x) => formatJson(t.arrayChildren!, x)).join(",") + "]";
  }
  if (t.baseType === "tuple") {
    const items = Array.from(v as ArrayLike<unknown>);
    return "[" + t.components!.map((c, i) => formatJson(c, items[i])).join(",") + "]";
  }
  const s = formatScalar(t, v);
  if (t.type === "bool" || t.type.startsWith("uint") || t.type.startsWith("int")) return s;
  return JSON.stringify(s);
}

const ERROR_STRING = "0x08c379a0"; // Error(string)
const PANIC = "0x4e487b71"; // Panic(uint256)

const PANIC_REASONS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic underflow or overflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "invalid storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to an uninitialised function",
};

/**
 * A readable reason for revert data: the Error(string) text, a Panic description, or a custom error
 * rendered `Name(arg,…)` when one of the given ABIs declares it, else its 4-byte selector.
 */
export function describeRevert(
  data: string | undefined,
  ifaces: readonly (Interface | undefined)[] = [],
): string {
  if (!data || data === "0x") return "";
  const selector = data.slice(0, 10).toLowerCase();
  try {
    if (selector === ERROR_STRING) {
      return String(coder.decode(["string"], "0x" + data.slice(10))[0]);
    }
    if (selector === PANIC) {
      const code = Number(coder.decode(["uint256"], "0x" + data.slice(10))[0]);
      return `Panic(0x${code.toString(16)}): ${PANIC_REASONS[code] ?? "unknown panic"}`;
    }
  } catch {
    /* malformed: fall through to the raw selector */
  }
  for (const iface of ifaces) {
    if (!iface) continue;
    try {
      const parsed = iface.parseError(data);
      if (parsed) return renderError(parsed.fragment, parsed.args);
    } catch {
      /* not this ABI */
    }
  }
  return data.length >= 10 ? selector : data;
}

function renderError(f: ErrorFragment, args: ArrayLike<unknown>): string {
  const parts = f.inputs.map((t, i) => formatTop(t, args[i]));
  return `${f.name}(${parts.join(",")})`;
}

export function shortMessage(e: unknown): string {
  const m =
    (e as { shortMessage?: unknown; message?: unknown }).shortMessage ?? (e as { message?: unknown }).message;
  return typeof m === "string" ? m : String(e);
}
