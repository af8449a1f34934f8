import { describe, expect, it } from "vitest";
import { apportion } from "../src/analytics/apportion.ts";
import {
  recordCoalitionGame,
  recordCoalitionTable,
  type ContributedRecord,
} from "../src/analytics/data-coalition.ts";
import { exactShapley } from "../src/analytics/shapley.ts";
import { seededRandom } from "../src/analytics/shapley-monte-carlo.ts";
import { amountsOf, decimalOf, InputsError, runShapley } from "../src/research/shapley-run.ts";

// A coalition is worth the square of the weight of the distinct records its members bring.

const A = "0x000000000000000000000000000000000000000a";
const B = "0x000000000000000000000000000000000000000b";
const C = "0x000000000000000000000000000000000000000c";

// A brings r1 (50) and r3 (20); B brings r2 (30) and r3 (20).
// W(A) = 70, W(B) = 50, W(AB) = 100 (r3 once) → v = 4900, 2500, 10000.
// φA = ½·4900 + ½·(10000 − 2500) = 6200; φB = ½·2500 + ½·(10000 − 4900) = 3800; Σ = 10000.
const SHARED: ContributedRecord[] = [
  { weight: 50, members: [0] },
  { weight: 30, members: [1] },
  { weight: 20, members: [0, 1] },
];

/** v(S) straight from the definition: the distinct records any member of S brings, weighed, squared. */
function bruteForce(n: number, records: ContributedRecord[]): number[] {
  const out: number[] = [];
  for (let s = 0; s < 2 ** n; s++) {
    const w = records.filter((r) => r.members.some((m) => s & (1 << m))).reduce((t, r) => t + r.weight, 0);
    out.push(w * w);
  }
  return out;
}

function randomRecords(n: number, count: number, seed: number): ContributedRecord[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const members = [
      ...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => Math.floor(rnd() * n))),
    ];
    return { weight: [35, 95, 165, 195][Math.floor(rnd() * 4)]!, members };
  });
}

describe("v from the records members bring", () => {
  it("gives the worked example's values and Shapley split", () => {
    expect(Array.from(recordCoalitionTable(2, SHARED))).toEqual([0, 4900, 2500, 10000]);
    const phi = exactShapley(2, recordCoalitionTable(2, SHARED));
    expect(phi.exact!.map((r) => `${r.numerator}/${r.denominator}`)).toEqual(["6200/1", "3800/1"]);
  });

  it("agrees with the definition on random instances (the subset-sum transform)", () => {
    for (const seed of [1, 2, 3]) {
      const records = randomRecords(8, 60, seed);
      expect(Array.from(recordCoalitionTable(8, records))).toEqual(bruteForce(8, records));
    }
  });

  it("walks a joining order to the same values as the table", () => {
    const records = randomRecords(6, 40, 9);
    const table = recordCoalitionTable(6, records);
    const order = Int32Array.of(3, 0, 5, 1, 4, 2);
    const out = new Float64Array(6);
    recordCoalitionGame(6, records).prefixValues(order, out);
    let s = 0;
    order.forEach((p, k) => {
      s |= 1 << p;
      expect(out[k]).toBe(table[s]);
    });
  });

  it("shares in proportion to what each brings when no record is shared (φᵢ = wᵢ·W(N))", () => {
    // Weights 10, 20, 30, 40: W(N) = 100, so φ = 1000, 2000, 3000, 4000.
    const disjoint = [10, 20, 30, 40].map((weight, i) => ({ weight, members: [i] }));
    expect(exactShapley(4, recordCoalitionTable(4, disjoint)).values).toEqual([1000, 2000, 3000, 4000]);
  });

  it("is superadditive over members bringing different records, as seed 000 asks of v", () => {
    const disjoint = [35, 95, 165, 195, 35].map((weight, i) => ({ weight, members: [i] }));
    const v = recordCoalitionTable(5, disjoint);
    for (let s = 1; s < 32; s++)
      for (let t = 1; t < 32; t++) if ((s & t) === 0) expect(v[s | t]).toBeGreaterThanOrEqual(v[s]! + v[t]!);
  });

  it("gives a member that brings nothing nothing (null player)", () => {
    const records: ContributedRecord[] = [...SHARED];
    const phi = exactShapley(3, recordCoalitionTable(3, records));
    expect(phi.values[2]).toBe(0);
    expect(phi.values[0]! + phi.values[1]!).toBe(10000);
  });

  it("names a bad record", () => {
    expect(() => recordCoalitionTable(2, [{ weight: -1, members: [0] }])).toThrow(/record 0: weight/);
    expect(() => recordCoalitionTable(2, [{ weight: 5, members: [2] }])).toThrow(/record 0: member 2/);
    expect(() => recordCoalitionTable(2, [{ weight: 5, members: [] }])).toThrow(/no member brings it/);
  });
});

describe("apportion (largest remainder)", () => {
  it("divides whole units in proportion, the remainder to the largest fractions", () => {
    expect(apportion(1000n, [6200n, 3800n])).toEqual([620n, 380n]);
    // 10 in thirds: 3 each and 1 left, to the first (ties go to the earlier share).
    expect(apportion(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    // 7 as 1:2:4 of 7 units → 1, 2, 4 exactly; 100 as 1:2:4 → 14.28, 28.57, 57.14 → 14, 29, 57.
    expect(apportion(7n, [1n, 2n, 4n])).toEqual([1n, 2n, 4n]);
    expect(apportion(100n, [1n, 2n, 4n])).toEqual([14n, 29n, 57n]);
  });

  it("refuses negative shares and shares summing to 0", () => {
    expect(() => apportion(10n, [1n, -1n])).toThrow(/share 1 is negative/);
    expect(() => apportion(10n, [0n, 0n])).toThrow(/sum to 0/);
  });
});

describe("a project's Shapley run from its inputs", () => {
  it("runs the records form exactly and in points (v(S) = W(S)²/W(N), tenths → points)", () => {
    const inputs = {
      model: "records",
      players: [A, B],
      groups: [
        { members: [A], records: 1, weight: 50 },
        { members: [B], records: 1, weight: 30 },
        { members: [A, B], records: 1, weight: 20 },
      ],
    };
    const run = runShapley(inputs, 1);
    // 6200 / (10·100) = 6.2 = 31/5 points; 3800/1000 = 3.8 = 19/5; v(N) = 10000/1000 = 10 (the 100 tenths the records weigh).
    expect(run.method).toBe("exact");
    expect(run.grandCoalitionValue).toBe("10");
    expect(run.players.map((p) => [p.value, p.fraction, p.standalone])).toEqual([
      ["6.2", "31/5", "4.9"],
      ["3.8", "19/5", "2.5"],
    ]);
    expect(amountsOf(run, 1000n)).toEqual([620n, 380n]);
    expect(amountsOf(run, 1001n)).toEqual([621n, 380n]); // 620.62 and 380.38: the extra unit to A
  });

  it("runs a table of values: the glove game (A holds the left glove, B and C a right one each)", () => {
    const inputs = {
      players: [A, B, C],
      values: {
        "": 0,
        [A]: 0,
        [B]: 0,
        [C]: 0,
        [`${A},${B}`]: 1,
        [`${A},${C}`]: 1,
        [`${B},${C}`]: 0,
        [`${A},${B},${C}`]: 1,
      },
    };
    const run = runShapley(inputs, 1);
    expect(run.players.map((p) => p.fraction)).toEqual(["2/3", "1/6", "1/6"]);
    expect(amountsOf(run, 600n)).toEqual([400n, 100n, 100n]);
  });

  it("names a coalition the table lacks, and refuses negative values for amounts", () => {
    expect(() => runShapley({ players: [A, B], values: { [A]: 1, [B]: 1 } }, 1)).toThrow(
      new InputsError(`the table has no value for coalition "${A},${B}"`),
    );
    const negative = runShapley({ players: [A, B], values: { [A]: -4, [B]: 2, [`${A},${B}`]: 0 } }, 1);
    expect(() => amountsOf(negative, 10n)).toThrow(/player 0x0+a has a negative Shapley value/);
  });

  it("samples above 20 members, with standard errors, and the amounts still sum to the total", () => {
    const players = Array.from({ length: 25 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    // Disjoint contributions: the exact answer is in proportion to the weights (i + 1)·10, W(N) = 3250.
    const groups = players.map((p, i) => ({ members: [p], records: 1, weight: (i + 1) * 10 }));
    const run = runShapley({ model: "records", players, groups }, 7);
    expect(run.method).toBe("monte-carlo");
    expect(run.permutations).toBeGreaterThan(0);
    run.players.forEach((p, i) => {
      const exact = ((i + 1) * 10) / 10; // wᵢ·W(N)/(10·W(N)) points
      expect(Math.abs(Number(p.value) - exact)).toBeLessThan(3 * p.standardError! + 1e-6);
    });
    expect(amountsOf(run, 1_000_000n).reduce((s, a) => s + a, 0n)).toBe(1_000_000n);
  });

  it("writes decimals rounded half up, without trailing zeros", () => {
    expect(decimalOf(2n, 3n)).toBe("0.6667");
    expect(decimalOf(-1n, 8n)).toBe("-0.125");
    expect(decimalOf(10n, 1n)).toBe("10");
  });
});
