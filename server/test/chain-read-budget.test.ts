import { describe, expect, it } from "vitest";
import { ChainReadBudget } from "../src/access/chain-read-budget.ts";

describe("ChainReadBudget", () => {
  it("allows `limit` reads per caller within the window, then refuses until the oldest leaves it", () => {
    const budget = new ChainReadBudget(3, 1000);
    expect([0, 10, 20].map((t) => budget.take("a", t))).toEqual([true, true, true]);
    expect(budget.take("a", 500)).toBe(false);
    expect(budget.take("b", 500)).toBe(true); // each caller has their own budget
    expect(budget.take("a", 1000)).toBe(true); // the read at 0 has left the window
    expect(budget.take("a", 1001)).toBe(false);
    expect(budget.take("a", 1011)).toBe(true);
  });

  it("does not count a refused read", () => {
    const budget = new ChainReadBudget(1, 1000);
    expect(budget.take("a", 0)).toBe(true);
    for (let t = 1; t < 1000; t += 100) expect(budget.take("a", t)).toBe(false);
    expect(budget.take("a", 1000)).toBe(true);
  });

  it("has no limit at 0", () => {
    const budget = new ChainReadBudget(0);
    for (let i = 0; i < 1000; i++) expect(budget.take("a")).toBe(true);
  });
});
