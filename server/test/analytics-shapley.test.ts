import { describe, expect, it } from "vitest";
import { exactShapley, reduce, shapley, type Rational } from "../src/analytics/shapley.ts";
import { gameFromBitmask, monteCarloShapley, seededRandom, type PermutationGame } from "../src/analytics/shapley-monte-carlo.ts";

const has = (s: number, i: number) => ((s >>> i) & 1) === 1;
const popcount = (s: number) => {
  let c = 0;
  for (; s; s &= s - 1) c++;
  return c;
};
const q = (numerator: number | bigint, denominator: number | bigint = 1): Rational =>
  reduce(BigInt(numerator), BigInt(denominator));
const add = (a: Rational, b: Rational): Rational =>
  reduce(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
const weightOf = (weights: number[], s: number) => weights.reduce((sum, w, i) => sum + (has(s, i) ? w : 0), 0);

/** A table game with integer values 0..99 from a seeded generator (v(∅) = 0). */
function randomTable(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: 2 ** n }, (_, s) => (s === 0 ? 0 : Math.floor(random() * 100)));
}

describe("exact Shapley value: worked examples from the literature", () => {
  it("glove game: one left glove (player 0), two right gloves", () => {
    // v(S) = number of pairs = min(left, right). Player 1 adds a pair only when it joins after player 0
    // and before player 2: 1 of the 6 orders (0,1,2) → φ₁ = 1/6, likewise φ₂ = 1/6; efficiency: φ₀ = 1 − 2/6 = 2/3.
    const r = exactShapley(3, (s) => Math.min(has(s, 0) ? 1 : 0, (has(s, 1) ? 1 : 0) + (has(s, 2) ? 1 : 0)));
    expect(r.exact).toEqual([q(2, 3), q(1, 6), q(1, 6)]);
    expect(r.values[0]).toBeCloseTo(2 / 3, 15);
    expect(r.grandCoalitionValue).toBe(1);
  });

  it("airport game: Littlechild–Owen, each runway segment split among the planes that use it", () => {
    // c = (1, 2, 3, 4), v(S) = max cost in S. Segment costs 1, 1, 1, 1 used by 4, 3, 2, 1 planes:
    // φ = (1/4, 1/4+1/3, 1/4+1/3+1/2, 1/4+1/3+1/2+1) = (3/12, 7/12, 13/12, 25/12), Σ = 48/12 = 4.
    const cost = [1, 2, 3, 4];
    const airport = (c: number[]) => (s: number) => Math.max(0, ...c.filter((_, i) => has(s, i)));
    expect(exactShapley(4, airport(cost)).exact).toEqual([q(1, 4), q(7, 12), q(13, 12), q(25, 12)]);
    // With a tie, c = (2, 2, 5): the first segment (2) split by three → 2/3 each; the second (3) by one.
    expect(exactShapley(3, airport([2, 2, 5])).exact).toEqual([q(2, 3), q(2, 3), q(11, 3)]);
    // Players listed out of cost order: the allocation follows the costs, not the indices.
    expect(exactShapley(4, airport([3, 1, 4, 2])).exact).toEqual([q(13, 12), q(1, 4), q(25, 12), q(7, 12)]);
  });

  it("simple majority games", () => {
    // Five equal voters, quota 3: symmetric, so 1/5 each.
    expect(exactShapley(5, (s) => (popcount(s) >= 3 ? 1 : 0)).exact).toEqual(Array(5).fill(q(1, 5)));
    // Weighted majority [quota 3; 2, 1, 1, 1]: the big voter is pivotal when 1 or 2 small voters came
    // before it (positions 2 and 3 of 4) → 2/4 = 1/2; the three small voters share the rest: 1/6 each.
    const w = [2, 1, 1, 1];
    expect(exactShapley(4, (s) => (weightOf(w, s) >= 3 ? 1 : 0)).exact).toEqual([q(1, 2), q(1, 6), q(1, 6), q(1, 6)]);
  });

  it("UN Security Council (Shapley–Shubik 1954): 5 permanent members with veto, 10 others, 9 votes to pass", () => {
    // A non-permanent member is pivotal when the 8 before it are the 5 permanent members and 3 of the
    // other 9 non-permanent: C(9,3)·8!·6!/15! = 84·40320·720/1307674368000 = 1/536.25 = 4/2145.
    // Efficiency gives each permanent member (1 − 10·4/2145)/5 = 421/2145 ≈ 0.1963.
    const r = exactShapley(15, (s) => ((s & 0b11111) === 0b11111 && popcount(s) >= 9 ? 1 : 0));
    expect(r.exact).toEqual([...Array(5).fill(q(421, 2145)), ...Array(10).fill(q(4, 2145))]);
    expect(r.values[0]).toBeCloseTo(0.19627, 5);
    expect(r.values[5]).toBeCloseTo(0.001865, 6);
  });

  it("an additive game at n = 20 gives each player its own value", () => {
    // v(S) = Σ_{i∈S} wᵢ: every marginal contribution of i is wᵢ, so φᵢ = wᵢ.
    const w = Array.from({ length: 20 }, (_, i) => 3 * i - 7);
    const r = exactShapley(20, (s) => weightOf(w, s));
    expect(r.exact).toEqual(w.map((x) => q(x)));
    expect(r.coalitionsEvaluated).toBe(2 ** 20);
  });
});

describe("exact Shapley value: the axioms", () => {
  it("efficiency: Σφᵢ = v(N) exactly", () => {
    for (const seed of [1, 2, 3]) {
      const table = randomTable(8, seed);
      const r = exactShapley(8, table);
      expect(r.exact!.reduce(add, q(0))).toEqual(q(table[255]!));
    }
  });

  it("symmetry: players 1 and 2 interchangeable in v get the same value", () => {
    const g = randomTable(6, 4);
    const swap12 = (s: number) => (s & ~0b110) | (has(s, 1) ? 0b100 : 0) | (has(s, 2) ? 0b010 : 0);
    const r = exactShapley(6, (s) => g[s]! + g[swap12(s)]!);
    expect(r.exact![1]).toEqual(r.exact![2]);
    expect(r.exact![0]).not.toEqual(r.exact![1]); // the random part still tells the others apart
  });

  it("null player: a player who never changes v gets 0", () => {
    const g = randomTable(6, 5);
    const r = exactShapley(6, (s) => g[s & ~(1 << 3)]!);
    expect(r.exact![3]).toEqual(q(0));
    expect(r.values[3]).toBe(0);
  });

  it("additivity: φ(v + w) = φ(v) + φ(w)", () => {
    const v = randomTable(7, 6);
    const w = randomTable(7, 7);
    const [a, b, sum] = [exactShapley(7, v), exactShapley(7, w), exactShapley(7, v.map((x, s) => x + w[s]!))];
    expect(sum.exact).toEqual(a.exact!.map((x, i) => add(x, b.exact![i]!)));
  });

  it("stays exact when v is too large for float sums (bigint accumulation)", () => {
    // Unanimity game 2^60·u_N with n = 4: only the last player to join adds anything, so φᵢ = 2^60/4 = 2^58.
    const r = exactShapley(4, (s) => (s === 15 ? 2 ** 60 : 0));
    expect(r.exact).toEqual(Array(4).fill(q(2n ** 58n)));
  });

  it("gives floats only when some v(S) is not an integer", () => {
    const r = exactShapley(2, (s) => (s === 0 ? 0 : s === 3 ? 1.5 : 0.5));
    expect(r.exact).toBeUndefined();
    expect(r.values).toEqual([0.75, 0.75]); // symmetric, Σ = 1.5
  });

  it("accepts membership flags through shapley()", () => {
    const r = shapley(3, (m) => Math.min(m[0]!, m[1]! + m[2]!));
    expect(r.method).toBe("exact");
    expect(r.method === "exact" && r.exact).toEqual([q(2, 3), q(1, 6), q(1, 6)]);
  });
});

describe("Monte Carlo Shapley value", () => {
  const voting = (w: number[], quota: number): PermutationGame => ({
    players: w.length,
    prefixValues(order, out) {
      let total = 0;
      for (let k = 0; k < order.length; k++) out[k] = (total += w[order[k]!]!) >= quota ? 1 : 0;
    },
  });

  it("agrees with the exact value within 3 standard errors on n = 10", () => {
    const table = randomTable(10, 8);
    const exact = exactShapley(10, table);
    for (const antithetic of [false, true]) {
      const mc = monteCarloShapley(gameFromBitmask(10, (s) => table[s]!), { seed: 9, maxPermutations: 4000, relativeError: 0, antithetic });
      expect(mc.permutations).toBe(4000);
      expect(mc.converged).toBe(false);
      mc.values.forEach((phi, i) => expect(Math.abs(phi - exact.values[i]!)).toBeLessThan(3 * mc.standardErrors[i]!));
    }
  });

  it("reports a standard error that shrinks like 1/√m", () => {
    const table = randomTable(10, 10);
    const game = gameFromBitmask(10, (s) => table[s]!);
    const run = (m: number) => monteCarloShapley(game, { seed: 11, maxPermutations: m, relativeError: 0, antithetic: false });
    const [small, large] = [run(400), run(6400)];
    // 16 times the permutations → a quarter of the standard error, up to the noise of estimating sd.
    const ratios = small.standardErrors.map((se, i) => se / large.standardErrors[i]!);
    const meanRatio = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(meanRatio).toBeGreaterThan(3.6);
    expect(meanRatio).toBeLessThan(4.4);
  });

  it("matches a closed form at n = 100: additive plus pairwise synergy", () => {
    // v(S) = Σ_{i∈S} wᵢ + λ·C(|S|, 2): each pair's bonus λ is split equally (symmetry) and i is in n−1
    // pairs, so φᵢ = wᵢ + λ(n−1)/2 (additivity).
    const n = 100;
    const lambda = 2;
    const w = Array.from({ length: n }, (_, i) => i % 7);
    const game: PermutationGame = {
      players: n,
      prefixValues(order, out) {
        let total = 0;
        for (let k = 0; k < order.length; k++) out[k] = (total += w[order[k]!]!) + (lambda * k * (k + 1)) / 2;
      },
    };
    const expected = w.map((x) => x + (lambda * (n - 1)) / 2);
    const plain = monteCarloShapley(game, { seed: 3, antithetic: false, relativeError: 0.001, maxPermutations: 200_000 });
    expect(plain.converged).toBe(true);
    plain.values.forEach((phi, i) => expect(Math.abs(phi - expected[i]!)).toBeLessThan(3 * plain.standardErrors[i]!));
    // i's marginal is wᵢ + λ·(players before i); in the reversed order that count is n−1 minus it, so an
    // antithetic pair averages to φᵢ exactly: zero variance, stops at the minimum.
    const paired = monteCarloShapley(game, { seed: 3 });
    expect(paired.permutations).toBe(200);
    paired.values.forEach((phi, i) => expect(phi).toBeCloseTo(expected[i]!, 9));
  });

  it("stops once every standard error is below 1% of v(N), and is reproducible by seed", () => {
    const w = Array.from({ length: 40 }, (_, i) => 1 + (i % 5));
    const game = voting(w, 61); // total weight 120, simple majority
    const r = monteCarloShapley(game, { seed: 5, relativeError: 0.01 });
    expect(r.converged).toBe(true);
    expect(r.permutations).toBeLessThan(1_000_000);
    expect(r.grandCoalitionValue).toBe(1);
    expect(Math.max(...r.standardErrors)).toBeLessThan(0.01);
    expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12); // every order hands out exactly v(N)
    expect(monteCarloShapley(game, { seed: 5, relativeError: 0.01 }).values).toEqual(r.values);
    expect(monteCarloShapley(game, { seed: 6, relativeError: 0.01 }).values).not.toEqual(r.values);
  });

  it("is chosen by shapley() above 20 players", () => {
    const r = shapley(25, (m) => m.reduce((a, b) => a + b, 0)); // additive, unit weights: φᵢ = 1
    expect(r.method).toBe("monte-carlo");
    r.values.forEach((phi) => expect(phi).toBeCloseTo(1, 12));
  });
});

describe("bad input", () => {
  it("throws naming what is wrong", () => {
    expect(() => exactShapley(0, () => 0)).toThrow(/players must be an integer ≥ 1, got 0/);
    expect(() => exactShapley(2.5, () => 0)).toThrow(/players/);
    expect(() => exactShapley(21, () => 0)).toThrow(/at most 20.*got 21/);
    expect(() => shapley(21, () => 0, { method: "exact" })).toThrow(/at most 20/);
    expect(() => exactShapley(3, [0, 1, 2])).toThrow(/2\^3 = 8 entries, got 3/);
    expect(() => exactShapley(2, (s) => (s === 2 ? Number.NaN : s))).toThrow(/v\(coalition 2\) must be a finite number, got NaN/);
    expect(() => exactShapley(2, (s) => (s === 3 ? Infinity : 0))).toThrow(/finite/);
    expect(() => exactShapley(2, () => 1)).toThrow(/v\(∅\) must be 0, got 1/);
    expect(() => monteCarloShapley(gameFromBitmask(3, (s) => (s === 7 ? Number.NaN : 1)))).toThrow(/finite number, got NaN/);
    expect(() => monteCarloShapley({ players: 0, prefixValues() {} })).toThrow(/players must be an integer ≥ 1, got 0/);
    expect(() => monteCarloShapley(gameFromBitmask(3, () => 1), { relativeError: -1 })).toThrow(/relativeError/);
    expect(() => monteCarloShapley(gameFromBitmask(3, () => 1), { minPermutations: 10, maxPermutations: 5 })).toThrow(/minPermutations/);
    expect(() => gameFromBitmask(31, () => 0)).toThrow(/1\.\.30/);
  });
});
