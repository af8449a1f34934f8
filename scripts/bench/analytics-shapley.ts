// Shapley allocation: the exact method at n = 10, 15, 20 (target: n = 20 under 2 s) and Monte Carlo
// permutation sampling at n = 100 run until every player's standard error is below 1% of v(N).
import { exactShapley } from "../../server/src/analytics/shapley.ts";
import {
  monteCarloShapley,
  seededRandom,
  type PermutationGame,
} from "../../server/src/analytics/shapley-monte-carlo.ts";
import {
  recordCoalitionGame,
  recordCoalitionTable,
  type ContributedRecord,
} from "../../server/src/analytics/data-coalition.ts";
import { timeRuns } from "./timing.ts";

/** Seeded integer weights 1..20. */
const weightsFor = (n: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => 1 + Math.floor(random() * 20));
};

/** v(S) = Σ_{i∈S} wᵢ summed over the set bits: O(n) per coalition, like a real v built from records. */
const weightOf = (w: number[]) => (s: number) => {
  let total = 0;
  for (let rest = s; rest !== 0; rest &= rest - 1) total += w[31 - Math.clz32(rest & -rest)]!;
  return total;
};

async function exactCase(n: number, samples: number) {
  const w = weightsFor(n, n);
  const weight = weightOf(w);
  const quota = Math.floor(w.reduce((a, b) => a + b, 0) / 2) + 1;
  // Integer values (weighted majority game): exact rationals as well as floats.
  const voting = (s: number) => (weight(s) >= quota ? 1 : 0);
  // Non-integer values (records' value with a diminishing return): floats only.
  const concave = (s: number) => Math.sqrt(weight(s));
  const check = exactShapley(n, voting);
  const exactSum = check.exact!.reduce((sum, r) => sum + Number(r.numerator) / Number(r.denominator), 0);
  return {
    players: n,
    coalitions: 2 ** n,
    weightedVotingRational: {
      ...(await timeRuns(samples, () => exactShapley(n, voting))),
      rationalResult: check.exact !== undefined,
      sumOfValues: exactSum, // v(N) = 1
    },
    concaveFloat: await timeRuns(samples, () => exactShapley(n, concave)),
  };
}

function votingGame(w: number[], quota: number): PermutationGame {
  return {
    players: w.length,
    prefixValues(order, out) {
      let total = 0;
      for (let k = 0; k < order.length; k++) out[k] = (total += w[order[k]!]!) >= quota ? 1 : 0;
    },
  };
}

/** Each member's own records' value plus a bonus shared once the coalition holds a majority of the data. */
function additiveBonusGame(w: number[], bonus: number, quota: number): PermutationGame {
  return {
    players: w.length,
    prefixValues(order, out) {
      let total = 0;
      for (let k = 0; k < order.length; k++) {
        total += w[order[k]!]!;
        out[k] = total + (total >= quota ? bonus : 0);
      }
    },
  };
}

async function monteCarloCase(name: string, game: PermutationGame, antithetic: boolean) {
  let last = monteCarloShapley(game, { seed: 1, relativeError: 0.01, antithetic });
  const time = await timeRuns(
    5,
    (i) => (last = monteCarloShapley(game, { seed: 1 + i, relativeError: 0.01, antithetic })),
  );
  return {
    game: name,
    players: game.players,
    antithetic,
    permutations: last.permutations,
    converged: last.converged,
    grandCoalitionValue: last.grandCoalitionValue,
    maxStandardError: Math.max(...last.standardErrors),
    maxStandardErrorOfVN: Math.max(...last.standardErrors) / Math.abs(last.grandCoalitionValue),
    ...time,
  };
}

/** Records held by one to three of n members, weighing what the points rule gives a rated record. */
function contributedRecords(n: number, count: number, seed: number): ContributedRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    weight: [35, 95, 165, 195, 270][Math.floor(random() * 5)]!,
    members: [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * n))),
    ],
  }));
}

/** A project's v from its members' records (v(S) = W(S)²): the table by subset sums, then exact Shapley. */
async function recordsCase(n: number, records: number) {
  const contributed = contributedRecords(n, records, n);
  const table = await timeRuns(5, () => recordCoalitionTable(n, contributed));
  const shapley = await timeRuns(5, () => exactShapley(n, recordCoalitionTable(n, contributed)));
  return { players: n, records, buildTable: table, tableAndExactShapley: shapley };
}

export async function benchShapley() {
  const exact = [];
  for (const [n, samples] of [
    [10, 20],
    [15, 10],
    [20, 5],
  ] as const) {
    exact.push(await exactCase(n, samples));
  }
  const n = 100;
  const w = weightsFor(n, 100);
  const total = w.reduce((a, b) => a + b, 0);
  const quota = Math.floor(total / 2) + 1;
  const monteCarlo = [];
  for (const antithetic of [true, false]) {
    monteCarlo.push(
      await monteCarloCase("weighted voting, quota = half the weight + 1", votingGame(w, quota), antithetic),
    );
    monteCarlo.push(
      await monteCarloCase(
        "additive + majority bonus (bonus = total weight)",
        additiveBonusGame(w, total, quota),
        antithetic,
      ),
    );
  }
  const fromRecords = [await recordsCase(10, 10_000), await recordsCase(20, 10_000)];
  const records = contributedRecords(n, 10_000, 7);
  monteCarlo.push(
    await monteCarloCase(
      "records held by members, v = W(S)² (10,000 records)",
      recordCoalitionGame(n, records),
      true,
    ),
  );
  return {
    exact,
    exactTargetMs: 2000,
    fromRecords,
    monteCarlo,
    monteCarloTarget: "every standard error < 1% of |v(N)|",
  };
}
