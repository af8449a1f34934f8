// FAME ciphertext-policy ABE (Agrawal and Chase, "FAME: Fast Attribute-based Message Encryption", CCS 2017),
// with k = 2 (DLIN assumption) on BLS12-381: the public key and ciphertext header ct0 and the key part K0
// live in G2; the hashed attribute/column elements, the per-attribute key parts and the ciphertext rows
// live in G1. Encapsulates a random GT element; the caller's message is sealed by AES-256-GCM (hybrid.ts).
import mcl from "mcl-wasm";
import { buildLsss, reconstructionCoefficients, FR_ORDER } from "./lsss.ts";
import { normalizeAttribute, parsePolicy } from "./policy.ts";
import { frFromBigint, groupGenerators, hashAttribute, hashColumn, initAbe, randomFr } from "./group.ts";

export type FamePublicKey = { hA: [mcl.G2, mcl.G2]; T: [mcl.GT, mcl.GT] };
export type FameMasterKey = { a: [mcl.Fr, mcl.Fr]; b: [mcl.Fr, mcl.Fr]; gd: [mcl.G1, mcl.G1, mcl.G1] };
export type FameUserKey = {
  attributes: string[];
  K0: [mcl.G2, mcl.G2, mcl.G2];
  Ky: Map<string, [mcl.G1, mcl.G1, mcl.G1]>;
  Kp: [mcl.G1, mcl.G1, mcl.G1];
};
/** ct0 in G2; one row of three G1 elements per leaf of the policy, in leaf order. */
export type FameHeader = { policy: string; ct0: [mcl.G2, mcl.G2, mcl.G2]; rows: [mcl.G1, mcl.G1, mcl.G1][] };

const MINUS_ONE = FR_ORDER - 1n;

export async function fameSetup(): Promise<{ publicKey: FamePublicKey; masterKey: FameMasterKey }> {
  await initAbe();
  const { g, h } = groupGenerators();
  const a: [mcl.Fr, mcl.Fr] = [randomFr(), randomFr()];
  const b: [mcl.Fr, mcl.Fr] = [randomFr(), randomFr()];
  const d = [randomFr(), randomFr(), randomFr()];
  const egh = mcl.pairing(g, h);
  const T = [0, 1].map((t) => mcl.pow(egh, mcl.add(mcl.mul(d[t]!, a[t]!), d[2]!))) as [mcl.GT, mcl.GT];
  return {
    publicKey: { hA: [mcl.mul(h, a[0]), mcl.mul(h, a[1])], T },
    masterKey: { a, b, gd: d.map((x) => mcl.mul(g, x)) as [mcl.G1, mcl.G1, mcl.G1] },
  };
}

/** K_t = Σ_l (Br)_l/a_t · H(l, t) + σ/a_t · g for t = 0, 1, and K_2 = -σ·g (plus the optional g^{d_t}). */
function keyTriple(
  hashOf: (l: number, t: number) => mcl.G1,
  Br: mcl.Fr[],
  aInv: mcl.Fr[],
  extra?: mcl.G1[],
): [mcl.G1, mcl.G1, mcl.G1] {
  const { g } = groupGenerators();
  const sigma = randomFr();
  const parts = [0, 1].map((t) => {
    const points = [hashOf(0, t), hashOf(1, t), hashOf(2, t), g];
    const scalars = [...Br, sigma].map((x) => mcl.mul(x, aInv[t]!));
    const p = mcl.mulVec(points, scalars);
    return extra ? mcl.add(p, extra[t]!) : p;
  });
  const last = mcl.mul(g, mcl.neg(sigma));
  return [parts[0]!, parts[1]!, extra ? mcl.add(last, extra[2]!) : last];
}

export async function fameKeyGen(masterKey: FameMasterKey, attributes: string[]): Promise<FameUserKey> {
  await initAbe();
  if (!Array.isArray(attributes) || attributes.length === 0) throw new Error("keygen needs at least one attribute");
  const normalized = [...new Set(attributes.map(normalizeAttribute))];
  const { h } = groupGenerators();
  const [r1, r2] = [randomFr(), randomFr()];
  const Br = [mcl.mul(masterKey.b[0], r1), mcl.mul(masterKey.b[1], r2), mcl.add(r1, r2)];
  const aInv = masterKey.a.map((x) => mcl.inv(x));
  const Ky = new Map<string, [mcl.G1, mcl.G1, mcl.G1]>();
  for (const y of normalized) Ky.set(y, keyTriple((l, t) => hashAttribute(y, l, t), Br, aInv));
  // K' ties the key to the first LSSS column, which carries the secret, and to the master key g^{d}.
  const Kp = keyTriple((l, t) => hashColumn(0, l, t), Br, aInv, masterKey.gd);
  return { attributes: normalized, K0: Br.map((x) => mcl.mul(h, x)) as [mcl.G2, mcl.G2, mcl.G2], Ky, Kp };
}

/** Returns the header and the encapsulated GT element e(g,h)^{s1(d1 a1 + d3) + s2(d2 a2 + d3)}. */
export async function fameEncapsulate(publicKey: FamePublicKey, policy: string): Promise<{ header: FameHeader; key: mcl.GT }> {
  await initAbe();
  const matrix = buildLsss(parsePolicy(policy));
  const { h } = groupGenerators();
  const s = [randomFr(), randomFr()];
  const ct0: [mcl.G2, mcl.G2, mcl.G2] = [mcl.mul(publicKey.hA[0], s[0]!), mcl.mul(publicKey.hA[1], s[1]!), mcl.mul(h, mcl.add(s[0]!, s[1]!))];
  const rows = matrix.rows.map(({ attribute, vector }) =>
    [0, 1, 2].map((l) => {
      // ct_{i,l} = Σ_t s_t·(H(ρ(i),l,t) + Σ_j M_ij·H(j,l,t)). Entries ±1 are folded in by addition; other
      // entries (threshold rows) become extra terms of the multi-scalar multiplication.
      const points: mcl.G1[] = [];
      const scalars: mcl.Fr[] = [];
      for (let t = 0; t < 2; t++) {
        let folded = hashAttribute(attribute, l, t);
        vector.forEach((m, j) => {
          if (m === 0n) return;
          if (m === 1n) folded = mcl.add(folded, hashColumn(j, l, t));
          else if (m === MINUS_ONE) folded = mcl.sub(folded, hashColumn(j, l, t));
          else {
            points.push(hashColumn(j, l, t));
            scalars.push(mcl.mul(s[t]!, frFromBigint(m)));
          }
        });
        points.push(folded);
        scalars.push(s[t]!);
      }
      return mcl.mulVec(points, scalars);
    }) as [mcl.G1, mcl.G1, mcl.G1],
  );
  const key = mcl.mul(mcl.pow(publicKey.T[0], s[0]!), mcl.pow(publicKey.T[1], s[1]!));
  return { header: { policy, ct0, rows }, key };
}

/** Adds c·P into acc, with additions only for c = ±1 (the common Lewko–Waters case). */
function accumulate(acc: mcl.G1 | undefined, point: mcl.G1, c: bigint): mcl.G1 {
  const term = c === 1n ? point : c === MINUS_ONE ? mcl.neg(point) : mcl.mul(point, frFromBigint(c));
  return acc ? mcl.add(acc, term) : term;
}

/** Recovers the encapsulated GT element; throws when the key's attributes do not satisfy the policy. */
export async function fameDecapsulate(userKey: FameUserKey, header: FameHeader): Promise<mcl.GT> {
  await initAbe();
  const tree = parsePolicy(header.policy);
  const matrix = buildLsss(tree);
  if (matrix.rows.length !== header.rows.length) {
    throw new Error(`ciphertext has ${header.rows.length} rows but its policy needs ${matrix.rows.length}`);
  }
  const coefficients = reconstructionCoefficients(tree, new Set(userKey.attributes));
  if (!coefficients) {
    throw new Error(`key attributes do not satisfy the ciphertext policy "${header.policy}"`);
  }
  const ctSum: (mcl.G1 | undefined)[] = [undefined, undefined, undefined];
  const keySum: mcl.G1[] = [...userKey.Kp];
  for (const [row, c] of coefficients) {
    if (c === 0n) continue;
    const keyParts = userKey.Ky.get(matrix.rows[row]!.attribute)!;
    for (let l = 0; l < 3; l++) {
      ctSum[l] = accumulate(ctSum[l], header.rows[row]![l]!, c);
      keySum[l] = accumulate(keySum[l], keyParts[l]!, c);
    }
  }
  // Rows are read without a per-point subgroup check (serialize.ts); their sums, which enter the pairings,
  // must lie in the prime-order subgroup so no small-order component can leak key material.
  if (ctSum.some((point) => point && !point.isValidOrder())) {
    throw new Error("ABE ciphertext rows are not in the prime-order subgroup");
  }
  // Π_t e(K'_t + Σ c_i K_{ρ(i),t}, ct0_t) / Π_l e(Σ c_i ct_{i,l}, K0_l): six Miller loops, one final exponentiation.
  let product = mcl.millerLoop(keySum[0]!, header.ct0[0]);
  for (let t = 1; t < 3; t++) product = mcl.mul(product, mcl.millerLoop(keySum[t]!, header.ct0[t]!));
  for (let l = 0; l < 3; l++) {
    if (ctSum[l]) product = mcl.mul(product, mcl.millerLoop(mcl.neg(ctSum[l]!), userKey.K0[l]!));
  }
  return mcl.finalExp(product);
}
