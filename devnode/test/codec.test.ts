// The Java behaviour the codec reproduces, checked in isolation.
import { describe, expect, it } from "vitest";
import { errorOutput, receiptMessage, revertReason } from "../src/codec/revert.ts";
import { javaHexDecode } from "../src/codec/encode.ts";
import { decodeQuantity, javaBigInteger, javaBitLength } from "../src/java/bigint.ts";
import { javaHashMapOrder, javaStringHash } from "../src/java/hashmap.ts";
import { asLong, readTree, toPrettyString } from "../src/java/json.ts";

describe("java.math.BigInteger and Numeric", () => {
  it("parses like Java 8 and fails with its messages", () => {
    expect(javaBigInteger("+007")).toBe(7n);
    expect(javaBigInteger("-ff", 16)).toBe(-255n);
    expect(() => javaBigInteger("")).toThrow("Zero length BigInteger");
    expect(() => javaBigInteger("1-2")).toThrow("Illegal embedded sign character");
    expect(() => javaBigInteger("xyz", 16)).toThrow('For input string: "xyz"');
    // the digits are read in groups of 9 (decimal), the first one the remainder
    expect(() => javaBigInteger("1234567890x")).toThrow('For input string: "34567890x"');
    expect(() => decodeQuantity("1.5")).toThrow(/^Negative $/);
    expect(decodeQuantity("0x10")).toBe(16n);
    expect(javaBitLength(-128n)).toBe(7);
    expect(javaBitLength(255n)).toBe(8);
  });
});

describe("java.util.HashMap order", () => {
  it("hashes strings as String.hashCode and iterates by bucket", () => {
    expect(javaStringHash("get")).toBe(102230);
    expect(javaStringHash("hello")).toBe(99162322);
    expect(javaHashMapOrder(["alwaysReverts", "get", "set", "value"])).toEqual([
      "alwaysReverts",
      "set",
      "get",
      "value",
    ]);
  });
});

describe("Jackson", () => {
  it("keeps number kinds for asLong, and pretty-prints arrays on one line", () => {
    const t = readTree("[1, 2.9, 36893488147419103233, -1e3] trailing ignored");
    expect(t.type).toBe("ARRAY");
    const nums = (t as { items: { text: string; integral: boolean }[] }).items.map(asLong);
    expect(nums).toEqual([1n, 2n, 1n, -1000n]);
    expect(readTree("  ").type).toBe("MISSING");
    expect(toPrettyString([1n, [true, "a\u0001"], []])).toBe('[ 1, [ true, "a\\u0001" ], [ ] ]');
  });
});

describe("Hex and revert texts", () => {
  it("decodes hex as java-sdk's Hex does", () => {
    expect(Buffer.from(javaHexDecode("0xAB cd")).toString("hex")).toBe("abcd");
    expect(() => javaHexDecode("abc")).toThrow("exception decoding Hex string: String index out of range: 3");
    expect(() => javaHexDecode("zz")).toThrow("invalid characters encountered in Hex string");
  });

  it("reads only Error(string) as a reason", () => {
    expect(revertReason(16, errorOutput("nope"))).toBe("nope");
    expect(revertReason(0, errorOutput("nope"))).toBeUndefined();
    expect(revertReason(16, "0x4e487b71" + "00".repeat(31) + "01")).toBeUndefined();
    expect(receiptMessage(16, "0x")).toBe("Revert instruction");
    expect(receiptMessage(12, errorOutput("Execution out of gas."))).toBe("Execution out of gas.");
    expect(receiptMessage(0, "0x")).toBe("Success");
  });
});
