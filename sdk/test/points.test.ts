import { describe, expect, it } from "vitest";
import {
  PERK,
  PERK_NAMES,
  RARITY,
  TIERS,
  VALUE,
  WEIGHT_TENTHS,
  formatPoints,
  perksOf,
  pointsTenths,
  tierOf,
} from "../src/points.ts";

describe("points rule", () => {
  it("has the tables of docs/contracts.md", () => {
    expect(VALUE).toEqual({ 1: 5, 2: 20, 3: 30 });
    expect(RARITY).toEqual({ 1: 5, 2: 15, 3: 25 });
    expect(WEIGHT_TENTHS).toEqual({ share: 3, value: 4, rarity: 3 });
    expect(PERK).toEqual({ queuePriority: 1, appointment: 2, drugPurchase: 4, reimbursement: 8 });
    expect(TIERS.map((t) => [t.tier, t.thresholdTenths, t.perks])).toEqual([
      [0, 0n, 0],
      [1, 1000n, 1],
      [2, 5000n, 1 | 2],
      [3, 20000n, 1 | 2 | 4 | 8],
    ]);
    expect(TIERS.map((t) => t.name["zh-CN"])).toEqual(["普通", "银", "金", "钻石"]);
    expect(TIERS.map((t) => t.name["en-US"])).toEqual(["Standard", "Silver", "Gold", "Diamond"]);
    for (const k of Object.keys(PERK) as (keyof typeof PERK)[]) {
      expect(PERK_NAMES[k]["zh-CN"].length).toBeGreaterThan(0);
      expect(PERK_NAMES[k]["en-US"].length).toBeGreaterThan(0);
    }
  });

  it("worked example: share 3, value 2, rarity 3 → 3·3 + 4·20 + 3·25 = 164 tenths = 16.4 points", () => {
    expect(pointsTenths(3, 2, 3)).toBe(164n);
    expect(pointsTenths(3n, 2, 3)).toBe(164n);
    expect(formatPoints(pointsTenths(3, 2, 3))).toBe("16.4");
  });

  it("is 0.3·share + 0.4·value + 0.3·rarity in tenths for every level", () => {
    for (const share of [1, 2, 5, 40])
      for (const v of [1, 2, 3] as const)
        for (const r of [1, 2, 3] as const) {
          // 10 · (0.3·share + 0.4·VALUE + 0.3·RARITY), computed in integers
          const expected = BigInt(3 * share + 4 * VALUE[v] + 3 * RARITY[r]);
          expect(pointsTenths(share, v, r)).toBe(expected);
        }
    expect(pointsTenths(1, 1, 1)).toBe(3n + 20n + 15n);
    expect(pointsTenths(2, 3, 3)).toBe(6n + 120n + 75n);
  });

  it("an unshared record earns nothing; an unrated one counts only its share", () => {
    expect(pointsTenths(0, 3, 3)).toBe(0n);
    expect(pointsTenths(0, 0, 0)).toBe(0n);
    expect(pointsTenths(4, 0, 0)).toBe(12n);
    expect(pointsTenths(4, 2, 0)).toBe(12n + 80n);
  });

  it("rejects levels outside 0–3 and negative or fractional shares", () => {
    expect(() => pointsTenths(1, 4, 1)).toThrow(RangeError);
    expect(() => pointsTenths(1, 1, 4)).toThrow(RangeError);
    expect(() => pointsTenths(1, -1, 1)).toThrow(RangeError);
    expect(() => pointsTenths(1, 1.5, 1)).toThrow(RangeError);
    expect(() => pointsTenths(-1, 1, 1)).toThrow(RangeError);
    expect(() => pointsTenths(1.5, 1, 1)).toThrow(RangeError);
  });

  it("tier boundaries: each threshold is the first total of its tier", () => {
    const cases: [bigint, number, number][] = [
      [0n, 0, 0],
      [999n, 0, 0],
      [1000n, 1, 1],
      [4999n, 1, 1],
      [5000n, 2, 3],
      [19999n, 2, 3],
      [20000n, 3, 15],
      [10n ** 30n, 3, 15],
    ];
    for (const [total, tier, perks] of cases) {
      const t = tierOf(total);
      expect([total, t.tier, t.perks]).toEqual([total, tier, perks]);
    }
    expect(tierOf(1000).name["zh-CN"]).toBe("银");
    expect(() => tierOf(-1)).toThrow(RangeError);
  });

  it("names the perks of a mask in bit order", () => {
    expect(perksOf(0)).toEqual([]);
    expect(perksOf(1)).toEqual(["queuePriority"]);
    expect(perksOf(3)).toEqual(["queuePriority", "appointment"]);
    expect(perksOf(15)).toEqual(["queuePriority", "appointment", "drugPurchase", "reimbursement"]);
    expect(perksOf(tierOf(20000n).perks).map((p) => PERK_NAMES[p]["en-US"])).toEqual([
      "Queue priority",
      "Appointment booking",
      "Drug purchase",
      "Reimbursement",
    ]);
  });

  it("formats tenths", () => {
    expect(formatPoints(0n)).toBe("0.0");
    expect(formatPoints(1000n)).toBe("100.0");
    expect(formatPoints(7)).toBe("0.7");
  });
});
