/**
 * Shapley allocation of a research project's value among its n member hospitals (seed 000 Shapley;
 * DESIGN §6). Players are 0..n−1; a coalition S is a bitmask (bit i set when player i is in S) and the
 * characteristic function v gives its value, with v(∅) = 0. The Shapley value (Shapley 1953) is
 *
 *   φᵢ = Σ_{S ∋ i} (|S|−1)!·(n−|S|)! / n! · (v(S) − v(S∖{i}))
 *
 * i.e. player i's marginal contribution averaged over all n! orders in which the players could join.
 *
 * Exact method (n ≤ 20): v is evaluated once per subset (2^n values in a Float64Array). The weight
 * depends only on |S|, so for every player i and size k we first add up the marginal differences
 * D[i][k] = Σ_{S ∋ i, |S| = k} (v(S) − v(S∖{i})) — n·2^(n−1) subtractions — and only then combine
 * φᵢ = Σ_k (k−1)!(n−k)!/n! · D[i][k]. When every v(S) is an integer, each D[i][k] is an integer and the
 * result is also given exactly, as a reduced fraction numerator/denominator (bigint) built over the
 * common denominator n!. The float sums are exact while every partial sum stays below 2^53; when that
 * bound cannot be guaranteed the sums are accumulated in bigint instead (slower, still exact).
 *
 * Above 20 players (or on request) see `monteCarloShapley` in ./shapley-monte-carlo.ts.
 */
import { monteCarloShapley, type MonteCarloOptions, type MonteCarloShapley } from "./shapley-monte-carlo.ts";

export const MAX_EXACT_PLAYERS = 20;

/** v(S) for a coalition given as a bitmask, or as a table indexed by the bitmask (length 2^n). */
export type BitmaskGame = ((coalition: number) => number) | ArrayLike<number>;

export interface Rational {
  numerator: bigint;
  denominator: bigint;
}

export interface ExactShapley {
  method: "exact";
  players: number;
  /** φᵢ as floats. */
  values: number[];
  /** φᵢ as reduced fractions; present only when every v(S) is an integer. */
  exact?: Rational[];
  /** v(N), the value shared out (Σφᵢ = v(N): efficiency). */
  grandCoalitionValue: number;
  coalitionsEvaluated: number;
}

function checkPlayers(n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`players must be an integer ≥ 1, got ${n}`);
  if (n > max) throw new RangeError(`players must be at most ${max} for the exact Shapley value, got ${n} (use Monte Carlo)`);
}

/** Every v(S), checked: finite, and v(∅) = 0. */
export function coalitionValues(n: number, game: BitmaskGame): Float64Array {
  checkPlayers(n, MAX_EXACT_PLAYERS);
  const size = 2 ** n;
  const values = new Float64Array(size);
  if (typeof game === "function") {
    for (let s = 0; s < size; s++) values[s] = game(s);
  } else {
    if (game.length !== size) throw new RangeError(`the table of v must have 2^${n} = ${size} entries, got ${game.length}`);
    for (let s = 0; s < size; s++) values[s] = game[s]!;
  }
  for (let s = 0; s < size; s++)
    if (!Number.isFinite(values[s]!)) throw new RangeError(`v(coalition ${s}) must be a finite number, got ${values[s]}`);
  if (values[0] !== 0) throw new RangeError(`v(∅) must be 0, got ${values[0]}`);
  return values;
}

const factorials = (n: number): bigint[] => {
  const f = [1n];
  for (let k = 1; k <= n; k++) f.push(f[k - 1]! * BigInt(k));
  return f;
};

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

export function reduce(numerator: bigint, denominator: bigint): Rational {
  const g = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / g, denominator: denominator / g };
}

/** Binomial coefficient as a float (exact for the small n used here). */
function binomial(n: number, k: number): number {
  let b = 1;
  for (let j = 1; j <= k; j++) b = (b * (n - k + j)) / j;
  return Math.round(b);
}

/**
 * D[i·n + (k−1)] = Σ_{S ∋ i, |S| = k} (v(S) − v(S∖{i})), in float. `sizes[S]` = |S| (popcount table).
 */
function marginalSumsBySize(n: number, v: Float64Array, sizes: Uint8Array): Float64Array {
  const sums = new Float64Array(n * n);
  for (let s = 1; s < v.length; s++) {
    const vs = v[s]!;
    const k1 = sizes[s]! - 1;
    for (let rest = s; rest !== 0; rest &= rest - 1) {
      const low = rest & -rest;
      const i = 31 - Math.clz32(low);
      const at = i * n + k1;
      sums[at] = sums[at]! + vs - v[s ^ low]!;
    }
  }
  return sums;
}

/** The same sums in bigint, for integer games too large for the float sums to stay exact. */
function marginalSumsBySizeBigint(n: number, v: Float64Array, sizes: Uint8Array): bigint[] {
  const big = Array.from(v, (x) => BigInt(x));
  const sums = new Array<bigint>(n * n).fill(0n);
  for (let s = 1; s < v.length; s++) {
    const k1 = sizes[s]! - 1;
    for (let rest = s; rest !== 0; rest &= rest - 1) {
      const low = rest & -rest;
      const at = (31 - Math.clz32(low)) * n + k1;
      sums[at] = sums[at]! + big[s]! - big[s ^ low]!;
    }
  }
  return sums;
}

/** The exact Shapley value of an n-player game (1 ≤ n ≤ 20). */
export function exactShapley(n: number, game: BitmaskGame): ExactShapley {
  const v = coalitionValues(n, game);
  const sizes = new Uint8Array(v.length);
  for (let s = 1; s < v.length; s++) sizes[s] = sizes[s >> 1]! + (s & 1);

  let maxAbs = 0;
  let integral = true;
  for (let s = 0; s < v.length; s++) {
    const x = v[s]!;
    if (integral && !Number.isInteger(x)) integral = false;
    if (Math.abs(x) > maxAbs) maxAbs = Math.abs(x);
  }
  // Each D[i][k] adds C(n−1, k−1) differences, each at most 2·max|v| in size: every partial sum of
  // integers below 2^53 is exact in float.
  const floatSumsExact = 2 * maxAbs * binomial(n - 1, Math.floor((n - 1) / 2)) <= Number.MAX_SAFE_INTEGER;
  const sums = marginalSumsBySize(n, v, sizes);

  const values: number[] = [];
  let exact: Rational[] | undefined;
  if (integral) {
    const big = floatSumsExact ? Array.from(sums, (x) => BigInt(x)) : marginalSumsBySizeBigint(n, v, sizes);
    const f = factorials(n);
    exact = [];
    for (let i = 0; i < n; i++) {
      // n!·φᵢ = Σ_k (k−1)!(n−k)! · D[i][k]
      let numerator = 0n;
      for (let k = 1; k <= n; k++) numerator += f[k - 1]! * f[n - k]! * big[i * n + k - 1]!;
      const r = reduce(numerator, f[n]!);
      exact.push(r);
      values.push(Number(r.numerator) / Number(r.denominator));
    }
  } else {
    for (let i = 0; i < n; i++) {
      // (k−1)!(n−k)!/n! = 1 / (n·C(n−1, k−1))
      let phi = 0;
      for (let k = 1; k <= n; k++) phi += sums[i * n + k - 1]! / (n * binomial(n - 1, k - 1));
      values.push(phi);
    }
  }
  return {
    method: "exact",
    players: n,
    values,
    ...(exact ? { exact } : {}),
    grandCoalitionValue: v[v.length - 1]!,
    coalitionsEvaluated: v.length,
  };
}

/** v of a coalition given by membership flags (members[i] = 1 when player i is in it); any n. */
export type MembersGame = (members: Uint8Array) => number;

/**
 * Exact for n ≤ 20 unless `method: "monte-carlo"` is asked for; Monte Carlo permutation sampling
 * above 20 players.
 */
export function shapley(
  n: number,
  value: MembersGame,
  options: MonteCarloOptions & { method?: "exact" | "monte-carlo" } = {},
): ExactShapley | MonteCarloShapley {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`players must be an integer ≥ 1, got ${n}`);
  const { method = n <= MAX_EXACT_PLAYERS ? "exact" : "monte-carlo", ...mc } = options;
  if (method === "monte-carlo") return monteCarloShapley(gameFromMembers(n, value), mc);
  checkPlayers(n, MAX_EXACT_PLAYERS);
  const members = new Uint8Array(n);
  return exactShapley(n, (s) => {
    for (let i = 0; i < n; i++) members[i] = (s >>> i) & 1;
    return value(members);
  });
}

/** Walks a permutation by adding one member at a time to the flags and asking `value` each time. */
export function gameFromMembers(n: number, value: MembersGame) {
  const members = new Uint8Array(n);
  return {
    players: n,
    prefixValues(order: Int32Array, out: Float64Array) {
      members.fill(0);
      for (let k = 0; k < order.length; k++) {
        members[order[k]!] = 1;
        out[k] = value(members);
      }
    },
  };
}

export { monteCarloShapley, type MonteCarloOptions, type MonteCarloShapley };
