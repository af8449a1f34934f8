// The two bits of Jackson that shape WeBASE answers:
//  - ObjectMapper.readTree, which java-sdk uses on array/struct funcParam strings ("[1,2]"): a JSON tree
//    that keeps each number's kind (integral or not) and exact text, so `asLong()` can be mimicked;
//  - JsonNode.toPrettyString (DefaultPrettyPrinter), which renders array/struct call results as
//    "[ 1, 2 ]".
import { JavaException } from "./bigint.ts";

export type JsonTree =
  | { type: "ARRAY"; items: JsonTree[] }
  | { type: "OBJECT"; entries: [string, JsonTree][] }
  | { type: "STRING"; value: string }
  | { type: "NUMBER"; text: string; integral: boolean }
  | { type: "BOOLEAN"; value: boolean }
  | { type: "NULL" }
  | { type: "MISSING" };

const parseError = (msg: string) => new JavaException("com.fasterxml.jackson.core.JsonParseException", msg);

/** readTree: one root value; content after it is ignored (FAIL_ON_TRAILING_TOKENS is off); empty → MISSING. */
export function readTree(text: string): JsonTree {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const value = (): JsonTree => {
    ws();
    const c = text[i];
    if (c === undefined) throw parseError("Unexpected end-of-input");
    if (c === "[") {
      i++;
      const items: JsonTree[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { type: "ARRAY", items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return { type: "ARRAY", items };
        } else throw parseError(`Unexpected character in array at position ${i}`);
      }
    }
    if (c === "{") {
      i++;
      const entries: [string, JsonTree][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { type: "OBJECT", entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"')
          throw parseError(`Unexpected character at position ${i}: was expecting double-quote`);
        const k = str();
        ws();
        if (text[i] !== ":") throw parseError(`Unexpected character at position ${i}: was expecting a colon`);
        i++;
        entries.push([k, value()]);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return { type: "OBJECT", entries };
        } else throw parseError(`Unexpected character in object at position ${i}`);
      }
    }
    if (c === '"') return { type: "STRING", value: str() };
    for (const [word, node] of [
      ["true", { type: "BOOLEAN", value: true }],
      ["false", { type: "BOOLEAN", value: false }],
      ["null", { type: "NULL" }],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return node;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") throw parseError(`Unrecognized token at position ${i}`);
    i += m[0].length;
    return { type: "NUMBER", text: m[0], integral: m[2] === undefined && m[3] === undefined };
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) throw parseError("Unexpected end-of-input in a String value");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw parseError(`Unrecognized character escape at position ${start}`);
    }
  };
  ws();
  if (i >= text.length) return { type: "MISSING" };
  return value();
}

/** JsonNode.asLong() of a number node: integral values keep their low 64 bits, others truncate like a (long) cast. */
export function asLong(node: { text: string; integral: boolean }): bigint {
  if (node.integral) return BigInt.asIntN(64, BigInt(node.text));
  const d = Number(node.text);
  if (Number.isNaN(d)) return 0n;
  const max = 2n ** 63n - 1n;
  if (d >= 9.223372036854776e18) return max;
  if (d <= -9.223372036854776e18) return -max - 1n;
  return BigInt(Math.trunc(d));
}

/** A value as java-sdk builds it for toPrettyString: numbers, booleans, text, arrays (structs are arrays). */
export type PrettyValue = bigint | boolean | string | PrettyValue[];

/** Jackson's string escaping: the five short escapes, \" and \\, other control characters as \u00XX (upper case). */
function jacksonQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20) out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** DefaultPrettyPrinter for arrays: "[ a, b ]", "[ ]" when empty (arrays stay on one line). */
export function toPrettyString(v: PrettyValue): string {
  if (Array.isArray(v)) return v.length === 0 ? "[ ]" : `[ ${v.map(toPrettyString).join(", ")} ]`;
  if (typeof v === "bigint") return v.toString(10);
  if (typeof v === "boolean") return v ? "true" : "false";
  return jacksonQuote(v);
}
