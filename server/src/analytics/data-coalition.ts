/**
 * The characteristic function of a research project from the records its member hospitals bring
 * (docs/analytics.md "What a coalition is worth"). Each record has an integer weight (its value and
 * rarity, in tenths of a point) and the set of members that bring it. A coalition S is worth
 *
 *   v(S) = W(S)²
 *
 * where W(S) is the total weight of the distinct records the members of S bring (a record two members
 * bring counts once). Squaring makes pooled data worth more than its parts — every pair of records can
 * be studied together — as seed 000 asks of v (V(S₁∪S₂) ≥ V(S₁)+V(S₂) when S₁ and S₂ bring different
 * records). With disjoint contributions the Shapley value is φᵢ = wᵢ·W(N): shares in proportion to
 * what each brings; a record several members bring is shared among them.
 *
 * Values are integers, so the exact Shapley value comes out as exact fractions.
 */
import type { PermutationGame } from "./shapley-monte-carlo.ts";
import { MAX_EXACT_PLAYERS } from "./shapley.ts";

/** A record brought to the project: its weight and the indexes of the players who bring it. */
export interface ContributedRecord {
  weight: number;
  members: readonly number[];
}

function check(n: number, records: readonly ContributedRecord[]): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`players must be an integer ≥ 1, got ${n}`);
  records.forEach((r, at) => {
    if (!Number.isSafeInteger(r.weight) || r.weight < 0)
      throw new RangeError(`record ${at}: weight must be a non-negative integer, got ${r.weight}`);
    if (r.members.length === 0) throw new RangeError(`record ${at}: no member brings it`);
    for (const m of r.members)
      if (!Number.isInteger(m) || m < 0 || m >= n)
        throw new RangeError(`record ${at}: member ${m} is not a player 0..${n - 1}`);
  });
}

/**
 * v(S) for every coalition S (bitmask, n ≤ 20). W(S) = total − (weight of the records no member of S
 * brings) = total − Σ_{m ⊆ ∁S} f[m], where f[m] is the weight of the records brought by exactly the
 * members m: a sum over subsets, done for all 2^n sets at once in n·2^n steps (the zeta transform).
 */
export function recordCoalitionTable(n: number, records: readonly ContributedRecord[]): Float64Array {
  check(n, records);
  if (n > MAX_EXACT_PLAYERS)
    throw new RangeError(`a table of v needs at most ${MAX_EXACT_PLAYERS} players, got ${n}`);
  const size = 2 ** n;
  const full = size - 1;
  const withinSet = new Float64Array(size);
  let total = 0;
  for (const r of records) {
    let mask = 0;
    for (const m of r.members) mask |= 1 << m;
    withinSet[mask] = withinSet[mask]! + r.weight;
    total += r.weight;
  }
  for (let bit = 0; bit < n; bit++)
    for (let s = 0; s < size; s++)
      if (s & (1 << bit)) withinSet[s] = withinSet[s]! + withinSet[s ^ (1 << bit)]!;
  const v = new Float64Array(size);
  for (let s = 1; s < size; s++) v[s] = (total - withinSet[full ^ s]!) ** 2;
  return v;
}

/** The same game walked one joining player at a time, for Monte Carlo at any n. */
export function recordCoalitionGame(n: number, records: readonly ContributedRecord[]): PermutationGame {
  check(n, records);
  const byPlayer: number[][] = Array.from({ length: n }, () => []);
  records.forEach((r, at) => r.members.forEach((m) => byPlayer[m]!.push(at)));
  const covered = new Uint8Array(records.length);
  return {
    players: n,
    prefixValues(order, out) {
      covered.fill(0);
      let weight = 0;
      for (let step = 0; step < order.length; step++) {
        for (const at of byPlayer[order[step]!]!) {
          if (covered[at]) continue;
          covered[at] = 1;
          weight += records[at]!.weight;
        }
        out[step] = weight ** 2;
      }
    },
  };
}
