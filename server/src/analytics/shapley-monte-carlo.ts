/**
 * Monte Carlo Shapley value by permutation sampling (Castro, Gómez & Tejada 2009, "Polynomial
 * calculation of the Shapley value based on sampling"). φᵢ is the mean of player i's marginal
 * contribution v(Pᵢ ∪ {i}) − v(Pᵢ) over a uniformly random order of the players, Pᵢ being the players
 * before i. One permutation gives one marginal contribution for every player, so m permutations cost
 * m·n evaluations of v (or m walks of a game that updates its value as members join).
 *
 * Antithetic sampling (on by default): each random order is paired with its reverse and the pair's
 * two marginals are averaged into one sample. A player early in one order is late in the other, so
 * the two marginals are negatively correlated and the pair's mean varies less than two independent
 * draws. The standard error of φᵢ is sd(samples)/√(samples), from Welford's running variance.
 *
 * Sampling stops once every player's standard error is below `relativeError`·|v(N)| (or below
 * `standardError` when given), checked after at least `minPermutations`, or at `maxPermutations`.
 * The generator is seeded (mulberry32), so a run is reproducible.
 */

export interface PermutationGame {
  players: number;
  /**
   * out[k] = v({order[0], …, order[k]}): the value as the players join in this order. A game with a
   * cheap update (a running weight sum) does this in O(n); v(∅) = 0 is implied.
   */
  prefixValues(order: Int32Array, out: Float64Array): void;
}

export interface MonteCarloOptions {
  /** Seed of the random orders; the same seed gives the same result. Default 1. */
  seed?: number;
  /** Stop when every standard error < relativeError·|v(N)|. Default 0.01 (1 %). */
  relativeError?: number;
  /** Stop when every standard error < this absolute value (overrides relativeError). */
  standardError?: number;
  /** Never stop before this many permutations. Default 200. */
  minPermutations?: number;
  /** Stop here whatever the error. Default 1,000,000. */
  maxPermutations?: number;
  /** Pair each order with its reverse. Default true. */
  antithetic?: boolean;
}

export interface MonteCarloShapley {
  method: "monte-carlo";
  players: number;
  /** Estimated φᵢ (sample means). */
  values: number[];
  standardErrors: number[];
  /** Random orders walked (both orders of an antithetic pair count). */
  permutations: number;
  /** True when the error target was met before maxPermutations. */
  converged: boolean;
  /** The target standard error that was used (absolute). */
  targetStandardError: number;
  grandCoalitionValue: number;
  seed: number;
  antithetic: boolean;
}

/** mulberry32: a small, fast 32-bit generator; plenty for sampling orders, not for cryptography. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function positiveInteger(name: string, x: number): number {
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${x}`);
  return x;
}

export function monteCarloShapley(game: PermutationGame, options: MonteCarloOptions = {}): MonteCarloShapley {
  const n = positiveInteger("players", game.players);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const relativeError = options.relativeError ?? 0.01;
  if (!(relativeError >= 0)) throw new RangeError(`relativeError must be ≥ 0, got ${relativeError}`);
  if (options.standardError !== undefined && !(options.standardError >= 0))
    throw new RangeError(`standardError must be ≥ 0, got ${options.standardError}`);
  const minPermutations = positiveInteger("minPermutations", options.minPermutations ?? 200);
  const maxPermutations = positiveInteger("maxPermutations", options.maxPermutations ?? 1_000_000);
  if (minPermutations > maxPermutations)
    throw new RangeError(`minPermutations (${minPermutations}) must not exceed maxPermutations (${maxPermutations})`);
  const antithetic = options.antithetic ?? true;
  const perSample = antithetic ? 2 : 1;

  const random = seededRandom(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const prefix = new Float64Array(n);
  const sample = new Float64Array(n);
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n);

  // Adds each player's marginal in the current order to `sample`; returns v(N).
  const walk = (): number => {
    game.prefixValues(order, prefix);
    let before = 0;
    for (let k = 0; k < n; k++) {
      const now = prefix[k]!;
      if (!Number.isFinite(now)) throw new RangeError(`v must be a finite number, got ${now} after ${k + 1} players joined`);
      const player = order[k]!;
      sample[player] = sample[player]! + now - before;
      before = now;
    }
    return before;
  };

  let grand = Number.NaN;
  let target = options.standardError ?? Number.NaN;
  let samples = 0;
  let converged = false;
  while (samples * perSample < maxPermutations) {
    // Fisher–Yates shuffle of the previous order (any start gives a uniform order).
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    sample.fill(0);
    grand = walk();
    if (antithetic) {
      order.reverse();
      walk();
    }
    if (Number.isNaN(target)) target = relativeError * Math.abs(grand);
    samples++;
    let worstVariance = 0;
    for (let i = 0; i < n; i++) {
      const x = sample[i]! / perSample;
      const delta = x - mean[i]!;
      mean[i] = mean[i]! + delta / samples;
      m2[i] = m2[i]! + delta * (x - mean[i]!);
      if (m2[i]! > worstVariance) worstVariance = m2[i]!;
    }
    // SE² = m2/(m−1)/m for the player with the largest spread.
    if (samples * perSample >= minPermutations && samples > 1 && worstVariance / (samples - 1) / samples < target * target) {
      converged = true;
      break;
    }
  }
  const standardErrors = Array.from(m2, (s) => (samples > 1 ? Math.sqrt(s / (samples - 1) / samples) : Number.POSITIVE_INFINITY));
  return {
    method: "monte-carlo",
    players: n,
    values: Array.from(mean),
    standardErrors,
    permutations: samples * perSample,
    converged,
    targetStandardError: target,
    grandCoalitionValue: grand,
    seed,
    antithetic,
  };
}

/** A game given as v(bitmask) for up to 30 players, walked by setting one bit at a time. */
export function gameFromBitmask(n: number, value: (coalition: number) => number): PermutationGame {
  if (!Number.isInteger(n) || n < 1 || n > 30) throw new RangeError(`players must be an integer in 1..30 for a bitmask game, got ${n}`);
  return {
    players: n,
    prefixValues(order, out) {
      let s = 0;
      for (let k = 0; k < order.length; k++) {
        s |= 1 << order[k]!;
        out[k] = value(s);
      }
    },
  };
}
