import { apportion } from "../analytics/apportion.ts";
import {
  recordCoalitionGame,
  recordCoalitionTable,
  type ContributedRecord,
} from "../analytics/data-coalition.ts";
import {
  exactShapley,
  MAX_EXACT_PLAYERS,
  monteCarloShapley,
  reduce,
  type Rational,
} from "../analytics/shapley.ts";

// A project's Shapley allocation from its inputs (inputs.ts): v from the table or from the records the
// members bring, exact up to 20 players and Monte Carlo above, then whole amounts of the project's total
// in proportion to φ. Pure: the same inputs and seed give the same answer, so anyone holding the
// committed inputs can check the allocations recorded on chain.

/** The inputs cannot be computed on (the shape was checked on the way in; this is about the game). */
export class InputsError extends Error {}

export interface PlayerValue {
  player: string;
  /** φᵢ in points (records form) or in the table's own unit, as a decimal string. */
  value: string;
  /** φᵢ as a reduced fraction "p/q", when exact. */
  fraction: string | null;
  standardError: number | null;
  /** v({i}): what the player would be worth alone. */
  standalone: string;
  /** φᵢ / v(N). */
  share: number;
}

export interface ShapleyRun {
  model: "records" | "table";
  method: "exact" | "monte-carlo";
  grandCoalitionValue: string;
  players: PlayerValue[];
  coalitionsEvaluated: number | null;
  permutations: number | null;
  seed: number | null;
  /** Weights for apportioning, one per player (exact numerators over one denominator, or scaled floats). */
  weights: bigint[];
}

/**
 * Record-form values are W² in tenths² (data-coalition.ts); they are shown divided by 10·W(N), which
 * puts them in points with v(N) = W(N): the Shapley values then share out the points the pooled
 * records weigh.
 */
const recordsScale = (records: ContributedRecord[]) => {
  const total = records.reduce((s, r) => s + r.weight, 0);
  return total === 0 ? 1n : BigInt(total) * 10n;
};
const FLOAT_WEIGHT_SCALE = 1e9;

export function decimalOf(numerator: bigint, denominator: bigint, digits = 4): string {
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  let n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const unit = 10n ** BigInt(digits);
  n = (n * unit * 2n + d) / (2n * d); // rounded half up
  const whole = (n / unit).toString();
  const frac = (n % unit).toString().padStart(digits, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

const floatDecimal = (x: number, scale: bigint) => decimalOf(BigInt(Math.round(x * 1e6)), 1_000_000n * scale);

function tableGame(inputs: Record<string, unknown>): { n: number; v: Float64Array } {
  const players = (inputs.players as string[]).map((p) => p.toLowerCase());
  const n = players.length;
  const values = inputs.values as Record<string, number>;
  const v = new Float64Array(2 ** n).fill(Number.NaN);
  for (const [key, value] of Object.entries(values)) {
    let mask = 0;
    if (key !== "") for (const m of key.split(",")) mask |= 1 << players.indexOf(m.toLowerCase());
    v[mask] = value;
  }
  if (Number.isNaN(v[0]!)) v[0] = 0;
  const missing: string[] = [];
  for (let s = 1; s < v.length && missing.length < 3; s++)
    if (Number.isNaN(v[s]!)) missing.push(players.filter((_, i) => s & (1 << i)).join(","));
  if (missing.length)
    throw new InputsError(`the table has no value for coalition ${missing.map((m) => `"${m}"`).join(", ")}`);
  if (v[0] !== 0) throw new InputsError("the value of the empty coalition must be 0");
  return { n, v };
}

/** Each group of records brought by the same members acts as one record of their total weight. */
function recordsOf(inputs: Record<string, unknown>): ContributedRecord[] {
  const players = (inputs.players as string[]).map((p) => p.toLowerCase());
  const groups = inputs.groups as { weight: number; members: string[] }[];
  return groups.map((g) => ({
    weight: g.weight,
    members: g.members.map((m) => players.indexOf(m.toLowerCase())),
  }));
}

export function runShapley(inputs: Record<string, unknown>, seed: number): ShapleyRun {
  const model = inputs.model === "records" ? "records" : "table";
  const players = inputs.players as string[];
  const n = players.length;
  const records = model === "records" ? recordsOf(inputs) : [];
  const scale = model === "records" ? recordsScale(records) : 1n;

  if (n <= MAX_EXACT_PLAYERS) {
    const v = model === "records" ? recordCoalitionTable(n, records) : tableGame(inputs).v;
    const result = exactShapley(n, v);
    const grand = v[v.length - 1]!;
    const exact = result.exact;
    const common = exact ? exact.reduce((l, r) => (l * r.denominator) / gcdOf(l, r.denominator), 1n) : 1n;
    return {
      model,
      method: "exact",
      grandCoalitionValue: exact ? decimalOf(BigInt(grand), scale) : floatDecimal(grand, scale),
      players: players.map((player, i) => ({
        player,
        value: exact
          ? decimalOf(exact[i]!.numerator, exact[i]!.denominator * scale)
          : floatDecimal(result.values[i]!, scale),
        fraction: exact ? fractionOf(reduce(exact[i]!.numerator, exact[i]!.denominator * scale)) : null,
        standardError: null,
        standalone: exact ? decimalOf(BigInt(v[1 << i]!), scale) : floatDecimal(v[1 << i]!, scale),
        share: grand === 0 ? 0 : result.values[i]! / grand,
      })),
      coalitionsEvaluated: result.coalitionsEvaluated,
      permutations: null,
      seed: null,
      weights: exact ? exact.map((r) => (r.numerator * common) / r.denominator) : floatWeights(result.values),
    };
  }
  if (model === "table") throw new InputsError(`a table of values has at most ${MAX_EXACT_PLAYERS} players`);
  const game = recordCoalitionGame(n, records);
  const result = monteCarloShapley(game, { seed });
  const alone = new Float64Array(1);
  return {
    model,
    method: "monte-carlo",
    grandCoalitionValue: floatDecimal(result.grandCoalitionValue, scale),
    players: players.map((player, i) => {
      game.prefixValues(Int32Array.of(i), alone);
      return {
        player,
        value: floatDecimal(result.values[i]!, scale),
        fraction: null,
        standardError: result.standardErrors[i]! / Number(scale),
        standalone: floatDecimal(alone[0]!, scale),
        share: result.grandCoalitionValue === 0 ? 0 : result.values[i]! / result.grandCoalitionValue,
      };
    }),
    coalitionsEvaluated: null,
    permutations: result.permutations,
    seed,
    // In the records form no one is worth less than nothing; an estimate a hair below 0 is noise.
    weights: floatWeights(result.values.map((x) => Math.max(0, x))),
  };
}

const gcdOf = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcdOf(b, a % b));
const fractionOf = (r: Rational) =>
  r.denominator === 1n ? `${r.numerator}` : `${r.numerator}/${r.denominator}`;
const floatWeights = (values: number[]) => values.map((x) => BigInt(Math.round(x * FLOAT_WEIGHT_SCALE)));

/** Whole amounts of `total` in proportion to φ (Σ = total). */
export function amountsOf(run: ShapleyRun, total: bigint): bigint[] {
  const negative = run.players.findIndex((_, i) => run.weights[i]! < 0n);
  if (negative >= 0)
    throw new InputsError(
      `player ${run.players[negative]!.player} has a negative Shapley value; amounts cannot be negative`,
    );
  try {
    return apportion(total, run.weights);
  } catch (e) {
    throw new InputsError((e as Error).message);
  }
}
