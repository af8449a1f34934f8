// Linear secret-sharing scheme (monotone span program) for a parsed policy.
//
// AND and OR gates use the Lewko–Waters conversion: OR children copy the parent's vector; an n-input AND
// splits it along a chain of n-1 fresh columns, so every entry is 0, 1 or -1. With such entries encryption
// combines the per-column group elements by additions only, and decryption coefficients are all 1.
// A k-of-n threshold (1 < k < n) uses Shamir's method inside the matrix: child x (x = 1..n) gets the parent's
// vector plus x, x², …, x^(k-1) in k-1 fresh columns, so any k children reconstruct it with Lagrange
// coefficients at 0. Expanding k-of-n into an OR of ANDs would need C(n,k) copies of each attribute and
// grow ciphertexts combinatorially; the Shamir rows keep one row per leaf.

import type { PolicyNode } from "./policy.ts";

/** Order of the BLS12-381 groups G1, G2, GT (the scalar field Fr). */
export const FR_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

export type LsssRow = { attribute: string; vector: bigint[] };
export type LsssMatrix = { rows: LsssRow[]; columns: number };

const mod = (x: bigint): bigint => ((x % FR_ORDER) + FR_ORDER) % FR_ORDER;

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % FR_ORDER;
    b = (b * b) % FR_ORDER;
    e >>= 1n;
  }
  return result;
}

const modInverse = (x: bigint): bigint => modPow(x, FR_ORDER - 2n);

/** Builds the share-generating matrix; row i belongs to the i-th leaf of the policy, left to right. */
export function buildLsss(policy: PolicyNode): LsssMatrix {
  const rows: { attribute: string; entries: Map<number, bigint> }[] = [];
  let columns = 1;
  const visit = (node: PolicyNode, vector: Map<number, bigint>): void => {
    if (node.kind === "attribute") {
      rows.push({ attribute: node.attribute, entries: vector });
      return;
    }
    const n = node.children.length;
    if (node.threshold === 1) {
      for (const child of node.children) visit(child, vector);
    } else if (node.threshold === n) {
      const first = columns;
      columns += n - 1;
      node.children.forEach((child, i) => {
        const v = i === 0 ? new Map(vector) : new Map<number, bigint>();
        if (i > 0) v.set(first + i - 1, mod(-1n));
        if (i < n - 1) v.set(first + i, 1n);
        visit(child, v);
      });
    } else {
      const first = columns;
      columns += node.threshold - 1;
      node.children.forEach((child, i) => {
        const x = BigInt(i + 1);
        const v = new Map(vector);
        for (let m = 1; m < node.threshold; m++) v.set(first + m - 1, modPow(x, BigInt(m)));
        visit(child, v);
      });
    }
  };
  visit(policy, new Map([[0, 1n]]));
  return {
    columns,
    rows: rows.map((r) => ({
      attribute: r.attribute,
      vector: Array.from({ length: columns }, (_, j) => r.entries.get(j) ?? 0n),
    })),
  };
}

/**
 * Coefficients c_i (row index → value mod r) with Σ c_i·M_i = (1, 0, …, 0), using only rows whose attribute
 * is in `attributes`; null when the attributes do not satisfy the policy. Walks the policy tree (same leaf
 * order as buildLsss) and, at each OR or threshold, picks the satisfied children that use the fewest rows,
 * since every used row costs group operations in decryption.
 */
export function reconstructionCoefficients(
  policy: PolicyNode,
  attributes: ReadonlySet<string>,
): Map<number, bigint> | null {
  let nextRow = 0;
  const visit = (node: PolicyNode): Map<number, bigint> | null => {
    if (node.kind === "attribute") {
      const row = nextRow++;
      return attributes.has(node.attribute) ? new Map([[row, 1n]]) : null;
    }
    const results = node.children.map(visit);
    const n = node.children.length;
    const satisfied = results
      .map((coefficients, i) => ({ coefficients, x: BigInt(i + 1) }))
      .filter((r): r is { coefficients: Map<number, bigint>; x: bigint } => r.coefficients !== null);
    if (satisfied.length < node.threshold) return null;
    const chosen = satisfied.sort((a, b) => a.coefficients.size - b.coefficients.size).slice(0, node.threshold);
    // Lewko–Waters gates (OR, AND) recombine with coefficient 1; Shamir gates with Lagrange weights at 0.
    const weights =
      node.threshold === 1 || node.threshold === n
        ? chosen.map(() => 1n)
        : chosen.map(({ x }) =>
            chosen.reduce((w, { x: other }) => (other === x ? w : mod(w * other * modInverse(mod(other - x)))), 1n),
          );
    const combined = new Map<number, bigint>();
    chosen.forEach(({ coefficients }, i) => {
      for (const [row, c] of coefficients) combined.set(row, mod((combined.get(row) ?? 0n) + c * weights[i]!));
    });
    return combined;
  };
  return visit(policy);
}
