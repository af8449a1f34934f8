// java.math.BigInteger as java-sdk uses it to read funcParam strings: which strings parse, and the
// exact NumberFormatException messages (Java 8, the version WeBASE-Front 3.x builds for:
// sourceCompatibility 1.8 in its build.gradle). The messages end up in 201151 error texts.

export class JavaException extends Error {
  constructor(
    /** the Java exception class, e.g. "java.lang.NumberFormatException" */
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
    this.name = "JavaException";
  }
}

const numberFormat = (m: string) => new JavaException("java.lang.NumberFormatException", m);

/** Integer.parseInt's digit set for radix 10 or 16 (ASCII only: Character.digit's other scripts are ignored). */
function digitValue(c: string, radix: number): number {
  const d = parseInt(c, radix);
  return Number.isNaN(d) || !/^[0-9a-zA-Z]$/.test(c) ? -1 : d;
}

/** Integer.parseInt(group, radix): a leading sign is allowed, any other non-digit throws. */
function parseIntGroup(group: string, radix: number): number {
  let i = 0;
  let negative = false;
  if (group[0] === "-" || group[0] === "+") {
    negative = group[0] === "-";
    i = 1;
    if (group.length === 1) throw numberFormat(`For input string: "${group}"`);
  }
  let v = 0;
  for (; i < group.length; i++) {
    const d = digitValue(group[i]!, radix);
    if (d < 0) throw numberFormat(`For input string: "${group}"`);
    v = v * radix + d;
  }
  return negative ? -v : v;
}

/** new BigInteger(val, radix), with its Java 8 checks and messages, for radix 10 and 16. */
export function javaBigInteger(val: string, radix: 10 | 16 = 10): bigint {
  const len = val.length;
  if (len === 0) throw numberFormat("Zero length BigInteger");
  let cursor = 0;
  let sign = 1n;
  const minus = val.lastIndexOf("-");
  const plus = val.lastIndexOf("+");
  if (minus >= 0) {
    if (minus !== 0 || plus >= 0) throw numberFormat("Illegal embedded sign character");
    sign = -1n;
    cursor = 1;
  } else if (plus >= 0) {
    if (plus !== 0) throw numberFormat("Illegal embedded sign character");
    cursor = 1;
  }
  if (cursor === len) throw numberFormat("Zero length BigInteger");
  while (cursor < len && digitValue(val[cursor]!, radix) === 0) cursor++;
  if (cursor === len) return 0n;
  // Digits are consumed in groups (9 decimal / 7 hex digits per int), the first one possibly shorter;
  // the first group that is not all digits names the exception.
  const perGroup = radix === 10 ? 9 : 7;
  const numDigits = len - cursor;
  let first = numDigits % perGroup;
  if (first === 0) first = perGroup;
  let value = 0n;
  let groupLen = first;
  while (cursor < len) {
    const group = val.slice(cursor, cursor + groupLen);
    cursor += groupLen;
    const g = parseIntGroup(group, radix);
    if (g < 0) throw numberFormat("Illegal digit");
    value = value * BigInt(radix) ** BigInt(group.length) + BigInt(g);
    groupLen = perGroup;
  }
  return sign * value;
}

/** BigInteger.bitLength(): bits of the minimal two's-complement form, excluding the sign bit. */
export function javaBitLength(v: bigint): number {
  const m = v < 0n ? -v - 1n : v;
  return m === 0n ? 0 : m.toString(2).length;
}

/** BigInteger.toByteArray().length */
export function javaByteLength(v: bigint): number {
  return Math.floor(javaBitLength(v) / 8) + 1;
}

/** Numeric.decodeQuantity (java-sdk utils): "0x…" is hex, anything else decimal. */
export function decodeQuantity(value: string): bigint {
  if (value.length >= 3 && value.startsWith("0x")) {
    try {
      return javaBigInteger(value.slice(2), 16);
    } catch {
      throw new JavaException(
        "org.fisco.bcos.sdk.v3.model.exceptions.MessageDecodingException",
        "value is not a hex number or a decimal number",
      );
    }
  }
  try {
    return javaBigInteger(value, 10);
  } catch {
    // sic: java-sdk reports every unparsable decimal as "Negative "
    throw new JavaException("org.fisco.bcos.sdk.v3.model.exceptions.MessageDecodingException", "Negative ");
  }
}

/** Numeric.toBigInt(hex): strips one 0x/0X prefix and reads the rest as hex. */
export function hexToBigInt(hex: string): bigint {
  const clean = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  return javaBigInteger(clean, 16);
}
