// funcParam strings → ABI bytes, the way java-sdk does it (codec/ContractCodec.encodeMethodFromString,
// encodeConstructorFromString and codec/wrapper/ContractCodecJsonWrapper.encode/encodeNode, v3.7.0).
// java-sdk is lenient in places a strict codec is not — bool is "true" (any case) or false, bytes that
// are not hex are taken as UTF-8 text, integer widths other than 8…128 are only checked against 256
// bits, array elements are JSON and big integers in them keep only their low 64 bits — and every one
// of those rules is reproduced here, because clients see their effect on chain.
import { AbiCoder, type ParamType, hexlify } from "ethers";
import { JavaException, decodeQuantity, hexToBigInt, javaBitLength, javaByteLength } from "../java/bigint.ts";
import { javaHashMapOrder, javaListString } from "../java/hashmap.ts";
import { type JsonTree, asLong, readTree } from "../java/json.ts";
import { type JavaAbi, isComposite, javaIntBits, valueType, widened } from "./abi.ts";

const coder = AbiCoder.defaultAbiCoder();

/** A ContractCodecException: WeBASE answers 422 201151 with this message. */
export class CodecError extends Error {}

const MAX_INT256 = 2n ** 255n - 1n;
const MIN_INT256 = -(2n ** 255n);

const mismatch = (path: string, expected: string, actual: string, reason?: string | null) =>
  new JavaException(
    "java.security.InvalidParameterException",
    `Arguments mismatch: ${path}, expected: ${expected}, actual: ${actual}` +
      (reason !== undefined ? `, exception reason:${reason}` : ""),
  );

/** new UintN(v) / new IntN(v): IntType's range check and message. */
function checkedInt(t: ParamType, v: bigint): bigint {
  const bits = javaIntBits(t);
  const unsigned = t.type.startsWith("uint");
  const ok = unsigned
    ? v >= 0n && javaBitLength(v) <= bits
    : javaBitLength(v) <= bits && v >= MIN_INT256 && v <= MAX_INT256;
  if (!ok) {
    throw new JavaException(
      "java.lang.UnsupportedOperationException",
      `Bit size must be 8 bit aligned, and the bitLength must be no larger than ${bits}. ` +
        `Current bytes size:${javaByteLength(v)}, value:${v}`,
    );
  }
  return v;
}

/** new Address(hex): any hex up to 160 bits. */
function javaAddress(text: string): string {
  const v = hexToBigInt(text);
  if (v < 0n || javaBitLength(v) > 160) {
    throw new JavaException(
      "java.lang.UnsupportedOperationException",
      `Bit size must be 8 bit aligned, and the bitLength must be no larger than 160. ` +
        `Current bytes size:${javaByteLength(v)}, value:${v}`,
    );
  }
  return "0x" + v.toString(16).padStart(40, "0");
}

const HEX_IGNORED = "\n\r\t ";

/** java-sdk utils Hex.decode: one 0x prefix, whitespace skipped, DecoderException messages as Java 8 words them. */
export function javaHexDecode(data: string): Uint8Array {
  const s = data.startsWith("0x") || data.startsWith("0X") ? data.slice(2) : data;
  const fail = (why: string) =>
    new JavaException(
      "org.fisco.bcos.sdk.v3.utils.DecoderException",
      `exception decoding Hex string: ${why}`,
    );
  let end = s.length;
  while (end > 0 && HEX_IGNORED.includes(s[end - 1]!)) end--;
  const out: number[] = [];
  const nibble = (i: number): number => {
    if (i >= s.length) throw fail(`String index out of range: ${i}`);
    const c = s.charCodeAt(i);
    if (c >= 128) throw fail(String(c));
    const d = /[0-9a-fA-F]/.test(s[i]!) ? parseInt(s[i]!, 16) : -1;
    return d;
  };
  let i = 0;
  while (i < end) {
    while (i < end && HEX_IGNORED.includes(s[i]!)) i++;
    const b1 = nibble(i++);
    while (i < end && HEX_IGNORED.includes(s[i]!)) i++;
    const b2 = nibble(i++);
    if (b1 < 0 || b2 < 0) throw fail("invalid characters encountered in Hex string");
    out.push((b1 << 4) | b2);
  }
  return Uint8Array.from(out);
}

/** ContractCodecJsonWrapper.tryDecodeInputData, falling back to the text's own bytes as java-sdk does. */
function bytesOf(value: string): Uint8Array {
  if (value.startsWith("hex://")) return javaHexDecode(value.slice("hex://".length));
  try {
    const d = javaHexDecode(value);
    if (d.length > 0) return d;
  } catch {
    /* not hex: the text itself */
  }
  return new TextEncoder().encode(value);
}

function fixedBytes(t: ParamType, b: Uint8Array): string {
  const n = Number(t.type.slice("bytes".length));
  if (b.length !== n) {
    throw new JavaException(
      "java.security.InvalidParameterException",
      `Invalid input bytes, required length: ${n}, input data length:${b.length}`,
    );
  }
  return hexlify(b);
}

/** One top-level scalar funcParam (ContractCodecJsonWrapper.encode, case VALUE). */
function scalar(t: ParamType, value: string | null): unknown {
  try {
    switch (valueType(t)) {
      case "BOOL":
        return value !== null && value.toLowerCase() === "true";
      case "UINT":
      case "INT":
        return checkedInt(t, value === null ? 0n : decodeQuantity(value));
      case "ADDRESS":
        if (value === null) throw new JavaException("java.lang.NullPointerException", "null");
        return javaAddress(value);
      case "BYTES":
        if (value === null) throw new JavaException("java.lang.NullPointerException", "null");
        return fixedBytes(t, bytesOf(value));
      case "DBYTES":
        if (value === null) throw new JavaException("java.lang.NullPointerException", "null");
        return hexlify(bytesOf(value));
      case "STRING":
        if (value === null) throw new JavaException("java.lang.NullPointerException", "null");
        return value;
    }
  } catch (e) {
    const reason =
      e instanceof JavaException && e.javaClass !== "java.lang.NullPointerException" ? e.message : null;
    throw mismatch("ROOT", valueType(t), String(value), reason);
  }
}

const nodeType = (n: JsonTree) => n.type;

/** ContractCodecJsonWrapper.encodeNode: array/struct elements, read as JSON. */
function node(path: string, t: ParamType, n: JsonTree): unknown {
  if (t.baseType === "array") {
    if (n.type !== "ARRAY") throw mismatch(path, "LIST", nodeType(n));
    if (t.arrayLength !== null && t.arrayLength >= 0 && n.items.length !== t.arrayLength) {
      throw mismatch("fixed list arguments size", String(t.arrayLength), String(n.items.length));
    }
    // sic: java-sdk never advances the index in the path of list elements
    return n.items.map((item) => node(`${path}.<0>`, t.arrayChildren!, item));
  }
  if (t.baseType === "tuple") {
    const fields = t.components!;
    if (n.type !== "ARRAY" && n.type !== "OBJECT") throw mismatch(path, "STRUCT", nodeType(n));
    const size = n.type === "ARRAY" ? n.items.length : n.entries.length;
    if (size !== fields.length) throw mismatch("struct arguments size", "0", String(size));
    return fields.map((f, i) => {
      if (n.type === "ARRAY") return node(`${path}.${f.name}`, f, n.items[i]!);
      const found = n.entries.find(([k]) => k === f.name);
      if (!found) throw mismatch(`${path}miss field value, field name: ${f.name}`, "null", "OBJECT");
      return node(`${path}.${f.name}`, f, found[1]);
    });
  }
  const vt = valueType(t);
  if (n.type === "ARRAY" || n.type === "OBJECT" || n.type === "MISSING")
    throw mismatch(path, "VALUE", nodeType(n));
  switch (vt) {
    case "BOOL":
      if (n.type !== "BOOLEAN") throw mismatch(path, vt, nodeType(n));
      return n.value;
    case "UINT":
    case "INT":
      if (n.type !== "NUMBER") throw mismatch(path, vt, nodeType(n));
      return checkedInt(t, asLong(n));
    case "ADDRESS":
      if (n.type !== "STRING") throw mismatch(path, vt, nodeType(n));
      try {
        return javaAddress(n.value);
      } catch {
        throw mismatch("Invalid address value", vt, n.value);
      }
    case "BYTES":
      if (n.type !== "STRING") throw mismatch(path, vt, nodeType(n));
      return fixedBytes(t, bytesOf(n.value));
    case "DBYTES":
      if (n.type !== "STRING") throw mismatch(path, vt, nodeType(n));
      return hexlify(bytesOf(n.value));
    case "STRING":
      if (n.type !== "STRING") throw mismatch(path, vt, nodeType(n));
      return n.value;
  }
}

/** ContractCodecJsonWrapper.encode + ABIObject.encode: the parameters as ABI bytes (0x-hex). */
export function encodeParams(inputs: readonly ParamType[], params: readonly (string | null)[]): string {
  if (params.length !== inputs.length) {
    throw mismatch("arguments size", String(inputs.length), String(params.length));
  }
  const values = inputs.map((t, i) => {
    const v = params[i] ?? null;
    if (!isComposite(t)) return scalar(t, v);
    if (v === null) throw new JavaException("java.lang.NullPointerException", "null");
    return node("ROOT", t, readTree(v));
  });
  try {
    return coder.encode(inputs.map(widened), values);
  } catch (e) {
    throw new JavaException("java.lang.RuntimeException", (e as Error).message);
  }
}

/** ContractCodec.encodeMethodFromString: selector + arguments of the first overload that takes them. */
export function encodeMethod(abi: JavaAbi, name: string, params: readonly (string | null)[]): string {
  const methods = abi.functions.get(name);
  if (!methods) {
    const names = javaListString(javaHashMapOrder([...abi.functions.keys()]));
    throw new CodecError(`Invalid method ${name} , supported functions are: ${names}`);
  }
  for (const m of methods) {
    if (m.inputs.length !== params.length) continue;
    try {
      return m.selector + encodeParams(m.inputs, params).slice(2);
    } catch {
      /* java-sdk logs and tries the next overload */
    }
  }
  throw new CodecError(
    " cannot encode in encodeMethodFromString with appropriate interface ABI, make sure params match",
  );
}

const CTOR_FAIL = " cannot encode in encodeMethodFromObject with appropriate interface ABI, cause:";

/** ContractCodec.encodeConstructorFromString: bytecode + constructor arguments. */
export function encodeConstructor(abi: JavaAbi, bin: string, params: readonly (string | null)[]): string {
  const inputs = abi.constructorInputs;
  if (inputs.length !== params.length) {
    throw new CodecError(` expected ${inputs.length} parameters but provided ${params.length} parameters`);
  }
  let args: string;
  try {
    args = encodeParams(inputs, params);
  } catch (e) {
    throw new CodecError(CTOR_FAIL + (e instanceof JavaException ? e.message : String((e as Error).message)));
  }
  let code: Uint8Array;
  try {
    code = javaHexDecode(bin);
  } catch (e) {
    // encodeConstructorFromBytes wraps the decoder's message, and encodeConstructorFromString wraps it again
    throw new CodecError(CTOR_FAIL + CTOR_FAIL + (e as Error).message);
  }
  return hexlify(code) + args.slice(2);
}
