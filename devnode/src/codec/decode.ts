// ABI bytes → WeBASE's strings (java-sdk ContractCodecJsonWrapper.decode, v3.7.0): bool "true"/"false",
// integers in decimal, address "0x"+40 lower-case hex, bytesN and bytes as "hex://"+hex, string as is,
// and arrays/structs as Jackson's pretty JSON ("[ 1, 2 ]", bytes inside without any prefix and bytesN
// as the full 32-byte word). Integers are checked against their declared width like java-sdk's
// UintN/IntN constructors, so a value a strict decoder would mask makes the decode fail instead.
import { AbiCoder, type ParamType } from "ethers";
import { javaBitLength } from "../java/bigint.ts";
import { type PrettyValue, toPrettyString } from "../java/json.ts";
import { type JavaAbi, isComposite, javaIntBits, valueType } from "./abi.ts";

const coder = AbiCoder.defaultAbiCoder();

/** The wire type a value is read as before java-sdk's own checks. */
function wire(t: ParamType): string {
  if (t.baseType === "tuple") return `(${t.components!.map(wire).join(",")})`;
  if (t.baseType === "array") {
    const len = t.arrayLength !== null && t.arrayLength >= 0 ? String(t.arrayLength) : "";
    return `${wire(t.arrayChildren!)}[${len}]`;
  }
  switch (valueType(t)) {
    case "UINT":
    case "BOOL":
    case "ADDRESS":
      return "uint256";
    case "INT":
      return "int256";
    case "BYTES":
      return "bytes32";
    default:
      return "bytes"; // string too: decoded as UTF-8 below, invalid sequences replaced like new String(…, UTF_8)
  }
}

const utf8 = (hex: string) => new TextDecoder().decode(Buffer.from(hex.slice(2), "hex"));

type Scalar = { kind: "num"; v: bigint } | { kind: "bool"; v: boolean } | { kind: "text"; v: string };

function scalar(t: ParamType, raw: unknown): Scalar {
  const vt = valueType(t);
  if (vt === "UINT" || vt === "INT") {
    const v = raw as bigint;
    const bits = javaIntBits(t);
    if (javaBitLength(v) > bits) throw new Error(`${t.type} out of range`);
    return { kind: "num", v };
  }
  if (vt === "BOOL") return { kind: "bool", v: (raw as bigint) !== 0n };
  if (vt === "ADDRESS") {
    const v = raw as bigint;
    if (javaBitLength(v) > 160) throw new Error("address out of range");
    return { kind: "text", v: "0x" + v.toString(16).padStart(40, "0") };
  }
  if (vt === "STRING") return { kind: "text", v: utf8(raw as string) };
  return { kind: "text", v: (raw as string).toLowerCase() }; // bytes / bytes32, 0x-hex
}

function pretty(t: ParamType, raw: unknown): PrettyValue {
  if (t.baseType === "array")
    return Array.from(raw as ArrayLike<unknown>).map((x) => pretty(t.arrayChildren!, x));
  if (t.baseType === "tuple") {
    const items = Array.from(raw as ArrayLike<unknown>);
    return t.components!.map((c, i) => pretty(c, items[i]));
  }
  const s = scalar(t, raw);
  if (s.kind !== "text") return s.v;
  const vt = valueType(t);
  return vt === "BYTES" || vt === "DBYTES" ? s.v.slice(2) : s.v;
}

function topLevel(t: ParamType, raw: unknown): string {
  if (isComposite(t)) return toPrettyString(pretty(t, raw));
  const s = scalar(t, raw);
  if (s.kind === "num") return s.v.toString(10);
  if (s.kind === "bool") return String(s.v);
  const vt = valueType(t);
  if (vt === "BYTES") {
    const n = Number(t.type.slice("bytes".length));
    return "hex://" + s.v.slice(2, 2 + 2 * n); // formatBytesN keeps the declared length
  }
  if (vt === "DBYTES") return "hex://" + s.v.slice(2);
  return s.v;
}

/** Decode `data` as `types` into java-sdk's strings; throws when java-sdk's decoder would. */
export function decodeToStrings(types: readonly ParamType[], data: string): string[] {
  const values = coder.decode(types.map(wire), data);
  return types.map((t, i) => topLevel(t, values[i]));
}

/** ContractCodec.decodeMethodToString: the first overload named `name` whose outputs decode. */
export function decodeMethodResult(abi: JavaAbi, name: string, output: string): string[] {
  for (const m of abi.functions.get(name) ?? []) {
    try {
      return decodeToStrings(m.outputs, output);
    } catch {
      /* next overload */
    }
  }
  throw new Error(" cannot decode in decodeMethodToString with appropriate interface ABI");
}

/**
 * ContractCodec.decodeEventToString: non-indexed parameters decoded from `data`, indexed ones as
 * their raw topic, in ABI order. Undefined when no event of that name fits (WeBASE drops the log).
 */
export function decodeEvent(
  abi: JavaAbi,
  name: string,
  log: { data: string; topics: readonly string[] },
): string[] | undefined {
  for (const ev of abi.events.get(name) ?? []) {
    try {
      const plain = ev.inputs.filter((p) => !p.indexed);
      const params = log.data === "0x" ? [] : decodeToStrings(plain, log.data);
      let p = 0;
      let topic = 1;
      const out = ev.inputs.map((input) => {
        const v = input.indexed ? log.topics[topic++] : params[p++];
        if (v === undefined) throw new Error("index out of bounds");
        return v;
      });
      return out;
    } catch {
      /* next event of that name */
    }
  }
  return undefined;
}
