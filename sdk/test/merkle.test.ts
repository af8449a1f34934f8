import { describe, expect, it } from "vitest";
import { AbiCoder, ZeroHash, concat, id, keccak256 } from "ethers";
import {
  escapePointerToken,
  fieldLeafOf,
  fieldLeavesOf,
  fieldProofOf,
  fieldsRootOf,
  makeEmrBundle,
  merkleRootOf,
  verifyFieldProof,
} from "../src/index.ts";

const bundle = makeEmrBundle({
  patient: { address: "0x00000000000000000000000000000000000000aa", name: "张三" },
  doctor: { address: "0x00000000000000000000000000000000000000bb", name: "李医生" },
  hospital: { address: "0x00000000000000000000000000000000000000cc", name: "第一医院" },
  title: "门诊病历",
  chiefComplaint: "咳嗽三天 <发热>",
  diagnosis: { system: "http://hl7.org/fhir/sid/icd-10", code: "J06.9", display: "急性上呼吸道感染" },
  notes: "多饮水",
  createdAt: 1_700_000_000_000n,
});

/** Resolves an RFC 6901 pointer in a plain JSON value. */
function resolve(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((v, t) => (v as Record<string, unknown>)[t], doc);
}

/** OpenZeppelin MerkleProof.processProof, written independently. */
function ozProcess(leaf: string, proof: readonly string[]): string {
  let h = leaf;
  for (const p of proof) h = BigInt(h) < BigInt(p) ? keccak256(concat([h, p])) : keccak256(concat([p, h]));
  return h;
}

describe("merkle: FHIR field tree", () => {
  it("a leaf is keccak256(abi.encode(keccak256(path), keccak256(canonical JSON of the value)))", () => {
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [id("/a/0/b"), id('"x"')]),
    );
    expect(fieldLeafOf("/a/0/b", "x")).toBe(expected);
    expect(fieldLeafOf("/n", 1.5)).toBe(
      keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [id("/n"), id("1.5")])),
    );
    // a string "1" and the number 1 are different leaves
    expect(fieldLeafOf("/n", "1")).not.toBe(fieldLeafOf("/n", 1));
  });

  it("a single-leaf tree's root is the leaf and its proof is empty", () => {
    const doc = { resourceType: "Bundle" };
    const leaf = fieldLeafOf("/resourceType", "Bundle");
    expect(fieldsRootOf(doc)).toBe(leaf);
    const p = fieldProofOf(doc, "/resourceType");
    expect(p).toEqual({ path: "/resourceType", value: "Bundle", leaf, proof: [] });
    expect(verifyFieldProof(leaf, "/resourceType", "Bundle", [])).toBe(true);
    expect(verifyFieldProof(leaf, "/resourceType", "Patient", [])).toBe(false);
  });

  it("an empty document has the zero root", () => {
    expect(fieldsRootOf({})).toBe(ZeroHash);
    expect(fieldsRootOf({ a: [], b: {} })).toBe(ZeroHash);
    expect(merkleRootOf([])).toBe(ZeroHash);
  });

  it("uses RFC 6901 paths over the canonical JSON", () => {
    const doc = { "a/b": { "c~d": [true, null, 3] }, u: undefined, z: 10n };
    const leaves = fieldLeavesOf(doc);
    expect(leaves.map((l) => l.path).sort()).toEqual(["/a~1b/c~0d/0", "/a~1b/c~0d/1", "/a~1b/c~0d/2", "/z"]);
    expect(leaves.find((l) => l.path === "/z")?.value).toBe("10"); // bigint → string, as canonicalJson
    expect(escapePointerToken("~/")).toBe("~0~1");
    // sorted by leaf value
    const values = leaves.map((l) => BigInt(l.leaf));
    expect([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(values);
  });

  it("every leaf of a sample FHIR bundle has a proof that verifies (also as OpenZeppelin would)", () => {
    const root = fieldsRootOf(bundle);
    const leaves = fieldLeavesOf(bundle);
    expect(leaves.length).toBeGreaterThan(40);
    const doc = JSON.parse(JSON.stringify(bundle)) as unknown;
    for (const l of leaves) {
      const p = fieldProofOf(bundle, l.path);
      expect(p.value).toEqual(resolve(doc, l.path));
      expect(p.leaf).toBe(l.leaf);
      expect(p.proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(leaves.length)));
      expect(verifyFieldProof(root, p.path, p.value, p.proof)).toBe(true);
      expect(ozProcess(p.leaf, p.proof)).toBe(root);
    }
    // odd leaf counts carry the last node up: check 3, 5, 7 leaves too
    for (const n of [2, 3, 5, 7]) {
      const small = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
      const r = fieldsRootOf(small);
      for (let i = 0; i < n; i++) {
        const p = fieldProofOf(small, `/k${i}`);
        expect(verifyFieldProof(r, `/k${i}`, i, p.proof)).toBe(true);
      }
    }
  });

  it("a tampered value, path, proof or root fails", () => {
    const root = fieldsRootOf(bundle);
    const path = "/entry/5/resource/code/coding/0/code";
    const p = fieldProofOf(bundle, path);
    expect(p.value).toBe("J06.9");
    expect(verifyFieldProof(root, path, "J06.9", p.proof)).toBe(true);
    expect(verifyFieldProof(root, path, "J18.9", p.proof)).toBe(false);
    expect(verifyFieldProof(root, "/entry/5/resource/code/coding/0/display", "J06.9", p.proof)).toBe(false);
    expect(verifyFieldProof(root, path, "J06.9", p.proof.slice(1))).toBe(false);
    const flipped = [...p.proof];
    flipped[0] = keccak256(flipped[0]!);
    expect(verifyFieldProof(root, path, "J06.9", flipped)).toBe(false);
    expect(verifyFieldProof(keccak256(root), path, "J06.9", p.proof)).toBe(false);
    // an inner node is not a leaf
    expect(verifyFieldProof(root, path, { x: 1 } as never, p.proof)).toBe(false);
    expect(() => fieldProofOf(bundle, "/entry/99")).toThrow(RangeError);
    expect(() => fieldProofOf(bundle, "/entry")).toThrow(RangeError); // not a primitive
  });

  it("the root is deterministic: key order and re-serialization do not matter, content does", () => {
    const root = fieldsRootOf(bundle);
    expect(fieldsRootOf(JSON.parse(JSON.stringify(bundle)))).toBe(root);
    const reordered = Object.fromEntries(Object.entries(bundle).reverse());
    expect(fieldsRootOf(reordered)).toBe(root);
    expect(fieldsRootOf({ b: 2, a: 1 })).toBe(fieldsRootOf({ a: 1, b: 2 }));
    const changed = JSON.parse(JSON.stringify(bundle)) as { timestamp: string };
    changed.timestamp = "2023-11-14T22:13:21.000Z";
    expect(fieldsRootOf(changed)).not.toBe(root);
    expect(root).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
