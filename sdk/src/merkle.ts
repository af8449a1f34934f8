/**
 * Merkle tree over the fields of a FHIR Bundle (seed 004: partial disclosure of single FHIR fields).
 *
 * Why: a record's content is one encrypted FHIR Bundle, and the chain keeps its `contentHash`. To show a
 * third party (an insurer, a research hospital, the patient's app) a single field — a diagnosis code, a
 * lab value, the date of a visit — without handing over the whole record, each version also commits to
 * `fieldsRoot`, the root of a Merkle tree whose leaves are the Bundle's individual fields. The holder
 * discloses `{path, value, proof}` for one field; anyone can check it against the `fieldsRoot` stored by
 * `EmrRegistry.versionOf(recordId, version)` (both the patient and the doctor signed that root) without
 * learning the other fields (siblings are hashes only).
 *
 * Construction (fixed; changing it changes every root):
 * - The Bundle is normalized with `canonicalJson` (sorted keys, `undefined` dropped, bigint → string).
 * - One leaf per primitive value (string, number, boolean, null) at its JSON-pointer path (RFC 6901:
 *   "/entry/0/resource/code/coding/0/code", `~` → `~0`, `/` → `~1`; the whole document is ""). Empty
 *   objects and arrays have no leaf.
 * - leaf = keccak256(abi.encode(keccak256(utf8(path)), keccak256(utf8(canonicalJson(value))))).
 *   The verifier hashes path and value itself, so an inner node cannot pass as a leaf.
 * - Leaves are sorted ascending (as 256-bit numbers); a parent is keccak256 of its two children in
 *   ascending order (sorted-pair hashing, as OpenZeppelin `MerkleProof`), an odd last node is carried up
 *   unchanged. A proof is the list of siblings from the leaf up; it verifies with OpenZeppelin's
 *   `MerkleProof.verify(proof, root, leaf)`.
 * - A single-leaf tree's root is the leaf; a Bundle without primitive values has root 0x00…00.
 *
 * On chain, `EmrRegistry.verifyField(recordId, version, pathHash, valueHash, proof)` rebuilds the leaf from
 * the two hashes (`fieldHashesOf`) and walks the proof the same way.
 *
 * OpenZeppelin compatibility: our proofs verify with `MerkleProof.verify` / `SimpleMerkleTree.verify`
 * (same sorted-pair hashing). `@openzeppelin/merkle-tree`'s trees do NOT build our roots:
 * `StandardMerkleTree` hashes each leaf twice (keccak256(keccak256(abi.encode(...)))), and
 * `SimpleMerkleTree` over our leaves lays the tree out as a complete binary tree in an array, which gives
 * the same root for some leaf counts (powers of two, 3) but not in general (5, 7, 17, … leaves differ).
 * Build roots and proofs with this module.
 */
import { AbiCoder, ZeroHash, concat, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson } from "./record-id.ts";

/** A JSON primitive: what a leaf holds. */
export type FieldValue = string | number | boolean | null;

export interface FieldLeaf {
  /** RFC 6901 JSON pointer of the field in the canonical Bundle. */
  path: string;
  value: FieldValue;
  /** The leaf hash (0x…, 32 bytes). */
  leaf: string;
}

export interface FieldProof extends FieldLeaf {
  /** Sibling hashes from the leaf up to the root. */
  proof: string[];
}

const abi = AbiCoder.defaultAbiCoder();

/** Escapes one reference token (RFC 6901 §3: `~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The leaf of `value` at `path`: keccak256(abi.encode(keccak256(path), keccak256(canonicalJson(value)))). */
export function fieldLeafOf(path: string, value: FieldValue): string {
  return keccak256(
    abi.encode(
      ["bytes32", "bytes32"],
      [keccak256(toUtf8Bytes(path)), keccak256(toUtf8Bytes(canonicalJson(value)))],
    ),
  );
}

/** The two hashes a leaf is made of, as `EmrRegistry.verifyField` takes them. */
export function fieldHashesOf(path: string, value: FieldValue): { pathHash: string; valueHash: string } {
  return { pathHash: keccak256(toUtf8Bytes(path)), valueHash: keccak256(toUtf8Bytes(canonicalJson(value))) };
}

/** keccak256 of the two hashes in ascending order (OpenZeppelin's `_hashPair`). */
export function hashPair(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** Every primitive field of the canonical Bundle with its leaf, sorted by leaf. */
export function fieldLeavesOf(bundle: unknown): FieldLeaf[] {
  const doc = JSON.parse(canonicalJson(bundle)) as unknown;
  const out: FieldLeaf[] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== "object") {
      const value = v as FieldValue;
      out.push({ path, value, leaf: fieldLeafOf(path, value) });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}/${i}`));
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      walk(x, `${path}/${escapePointerToken(k)}`);
  };
  walk(doc, "");
  return out.sort((a, b) => compareHash(a.leaf, b.leaf));
}

function compareHash(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** All layers, leaves first (sorted), root last. */
function layersOf(leaves: readonly string[]): string[][] {
  const layers: string[][] = [[...leaves]];
  while (layers[layers.length - 1]!.length > 1) {
    const cur = layers[layers.length - 1]!;
    const next: string[] = [];
    for (let i = 0; i < cur.length; i += 2)
      next.push(i + 1 < cur.length ? hashPair(cur[i]!, cur[i + 1]!) : cur[i]!);
    layers.push(next);
  }
  return layers;
}

/** The Merkle root over the sorted leaves (ZeroHash when there are none). */
export function merkleRootOf(leaves: readonly string[]): string {
  if (leaves.length === 0) return ZeroHash;
  const sorted = [...leaves].map((l) => l.toLowerCase()).sort(compareHash);
  const layers = layersOf(sorted);
  return layers[layers.length - 1]![0]!;
}

/** `fieldsRoot` of a FHIR Bundle (goes into writeRecord / updateRecord and their signatures). */
export function fieldsRootOf(bundle: unknown): string {
  return merkleRootOf(fieldLeavesOf(bundle).map((l) => l.leaf));
}

/** The disclosure of one field: its value, leaf and proof. Throws when `path` is not a primitive field. */
export function fieldProofOf(bundle: unknown, path: string): FieldProof {
  const leaves = fieldLeavesOf(bundle);
  const index = leaves.findIndex((l) => l.path === path);
  if (index < 0) throw new RangeError(`fieldProofOf: no primitive field at ${JSON.stringify(path)}`);
  const layers = layersOf(leaves.map((l) => l.leaf));
  const proof: string[] = [];
  let i = index;
  for (let level = 0; level < layers.length - 1; level++) {
    const layer = layers[level]!;
    const sibling = i ^ 1;
    if (sibling < layer.length) proof.push(layer[sibling]!);
    i >>= 1;
  }
  const { value, leaf } = leaves[index]!;
  return { path, value, leaf, proof };
}

/** Whether `value` at `path` is a field of the Bundle committed to by `root` (never throws). */
export function verifyFieldProof(
  root: string,
  path: string,
  value: FieldValue,
  proof: readonly string[],
): boolean {
  try {
    if (value !== null && typeof value === "object") return false;
    let h = fieldLeafOf(path, value);
    for (const p of proof) h = hashPair(h, p);
    return h.toLowerCase() === root.toLowerCase();
  } catch {
    return false;
  }
}
