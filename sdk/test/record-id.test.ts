import { describe, expect, it } from "vitest";
import { ZeroHash, concat, getBytes, keccak256, toBeHex, toUtf8Bytes, zeroPadValue } from "ethers";
import { canonicalJson, profileHashOf, reasonHashOf, recordIdOf } from "../src/index.ts";

describe("recordIdOf", () => {
  it("is keccak256(abi.encodePacked(uint256 createdAt, address patient))", () => {
    const patient = "0x00000000000000000000000000000000000000aa";
    const createdAt = 1_700_000_000_123n;
    // 32-byte big-endian createdAt followed by the 20 address bytes: 52 bytes
    const packed = concat([zeroPadValue(toBeHex(createdAt), 32), patient]);
    expect(getBytes(packed).length).toBe(52);
    expect(recordIdOf(createdAt, patient)).toBe(keccak256(packed));
    expect(recordIdOf(Number(createdAt), patient.toUpperCase().replace("0X", "0x"))).toBe(keccak256(packed));
  });

  it("matches a hand-written hex preimage", () => {
    const preimage = "0x" + "0".repeat(62) + "01" + "ab".repeat(20); // createdAt = 1, patient = 0xabab…ab
    expect(recordIdOf(1, "0x" + "ab".repeat(20))).toBe(keccak256(preimage));
  });
});

describe("canonicalJson", () => {
  it("sorts keys recursively, no spaces, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it("drops undefined members, writes bigints as strings, escapes like JSON", () => {
    expect(canonicalJson({ u: undefined, n: null, big: 10n ** 30n, s: 'q"\n医' })).toBe(
      '{"big":"1000000000000000000000000000000","n":null,"s":"q\\"\\n医"}',
    );
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
  });
  it("rejects non-finite numbers", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });
});

describe("profileHashOf / reasonHashOf", () => {
  it("profile hash ignores key order", () => {
    const a = profileHashOf({
      name: "张三",
      idCard: "110101199001011234",
      contact: { phone: "1", email: "e" },
    });
    const b = profileHashOf({
      contact: { email: "e", phone: "1" },
      idCard: "110101199001011234",
      name: "张三",
    });
    expect(a).toBe(b);
    expect(a).toBe(
      keccak256(
        toUtf8Bytes('{"contact":{"email":"e","phone":"1"},"idCard":"110101199001011234","name":"张三"}'),
      ),
    );
  });
  it("reason hash: zero for empty, keccak256(utf8) otherwise", () => {
    expect(reasonHashOf()).toBe(ZeroHash);
    expect(reasonHashOf("")).toBe(ZeroHash);
    expect(reasonHashOf("资料不全")).toBe(keccak256(toUtf8Bytes("资料不全")));
  });
});
