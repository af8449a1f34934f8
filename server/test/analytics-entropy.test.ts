import { describe, expect, it } from "vitest";
import { entropyBits, entropyHint, entropyOverTime, suggestedLevel } from "../src/analytics/entropy.ts";

const at = (institution: string, t = 0) => ({ institution, at: t });

describe("entropy of the institutions that accessed a record", () => {
  it("is 0 for one institution and log2 k for k used equally", () => {
    expect(entropyBits([7])).toBe(0);
    expect(entropyBits([1, 1])).toBeCloseTo(1, 12);
    expect(entropyBits([3, 3, 3, 3])).toBeCloseTo(2, 12);
    expect(entropyBits([5, 5, 5, 5, 5, 5, 5, 5])).toBeCloseTo(3, 12);
  });

  it("matches the definition on an uneven split", () => {
    // p = (1/2, 1/4, 1/4): H = 1/2·1 + 2·(1/4·2) = 1.5 bits
    expect(entropyBits([2, 1, 1])).toBeCloseTo(1.5, 12);
    // p = (0.9, 0.1): H = −0.9 log2 0.9 − 0.1 log2 0.1 ≈ 0.468996
    expect(entropyBits([9, 1])).toBeCloseTo(0.468996, 6);
    expect(entropyBits([2, 0, 1, 1])).toBeCloseTo(1.5, 12); // an institution with no access adds nothing
  });

  it("suggests a level by the effective number of institutions (2^H)", () => {
    expect(entropyHint([at("H1"), at("H1"), at("H1")])).toMatchObject({ bits: 0, effectiveInstitutions: 1, suggestedLevel: 1 });
    expect(entropyHint([at("H1"), at("H1"), at("H1"), at("H1"), at("H1"), at("H1"), at("H1"), at("H1"), at("H1"), at("H2")]).suggestedLevel).toBe(1);
    expect(entropyHint([at("H1"), at("H2")])).toMatchObject({ institutions: 2, accesses: 2, suggestedLevel: 2 });
    const hint = entropyHint([at("H1"), at("H2"), at("H3"), at("H4")]);
    expect(hint.effectiveInstitutions).toBeCloseTo(4, 12);
    expect(hint.suggestedLevel).toBe(3);
    expect(entropyHint([])).toMatchObject({ bits: 0, suggestedLevel: 1, accesses: 0 });
    expect([0, 0.99, 1, 1.99, 2, 5].map(suggestedLevel)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it("follows use over time, window by window", () => {
    const day = 86_400_000;
    const series = entropyOverTime(
      [at("H1", 0), at("H1", 1000), at("H1", day + 5), at("H2", day + 6), at("H3", 3 * day), at("H4", 3 * day + 1)],
      day,
    );
    expect(series.map((w) => [w.accesses, Number(w.bits.toFixed(6))])).toEqual([
      [2, 0],
      [2, 1],
      [0, 0],
      [2, 1],
    ]);
    expect(series[1]!.from).toBe(day);
  });

  it("refuses bad input, naming it", () => {
    expect(() => entropyBits([1, -1])).toThrow(/non-negative/);
    expect(() => entropyBits([Number.NaN])).toThrow(/non-negative/);
    expect(() => suggestedLevel(-1)).toThrow(/non-negative/);
    expect(() => entropyHint([{ institution: "", at: 0 }])).toThrow(/accesses\[0\]\.institution/);
    expect(() => entropyOverTime([at("H1")], 0)).toThrow(/windowMs/);
    expect(() => entropyOverTime([{ institution: "H1", at: Number.NaN }], 1)).toThrow(/accesses\[0\]\.at/);
  });
});
