import { describe, expect, it } from "vitest";
import { FR_ORDER, buildLsss, parsePolicy, policyAttributes, reconstructionCoefficients } from "../src/index.ts";

const mod = (x: bigint): bigint => ((x % FR_ORDER) + FR_ORDER) % FR_ORDER;

function randomFr(): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(48));
  return mod(BigInt("0x" + Buffer.from(bytes).toString("hex")));
}

function subsets<T>(items: T[]): T[][] {
  return Array.from({ length: 1 << items.length }, (_, mask) => items.filter((_, i) => mask & (1 << i)));
}

// Each policy with an independent plain-JS statement of when a set of attributes satisfies it.
const cases: { policy: string; satisfied: (s: Set<string>) => boolean }[] = [
  { policy: "role:doctor", satisfied: (s) => s.has("role:doctor") },
  { policy: "a:1 AND b:2 AND c:3", satisfied: (s) => s.has("a:1") && s.has("b:2") && s.has("c:3") },
  { policy: "a:1 or b:2", satisfied: (s) => s.has("a:1") || s.has("b:2") },
  { policy: "(a:1 OR b:2) AND c:3", satisfied: (s) => (s.has("a:1") || s.has("b:2")) && s.has("c:3") },
  { policy: "2 of (a:1, b:2, c:3)", satisfied: (s) => ["a:1", "b:2", "c:3"].filter((x) => s.has(x)).length >= 2 },
  {
    policy: "3 of (a:1, b:2 AND e:5, c:3, d:4 OR f:6)",
    satisfied: (s) =>
      [s.has("a:1"), s.has("b:2") && s.has("e:5"), s.has("c:3"), s.has("d:4") || s.has("f:6")].filter(Boolean).length >= 3,
  },
  {
    policy: "(a:1 AND b:2) OR (a:1 AND c:3)",
    satisfied: (s) => s.has("a:1") && (s.has("b:2") || s.has("c:3")),
  },
  {
    policy: "(hospital:H1 OR hospital:H2) AND role:doctor AND dept:cardiology",
    satisfied: (s) =>
      (s.has("hospital:h1") || s.has("hospital:h2")) && s.has("role:doctor") && s.has("dept:cardiology"),
  },
];

describe("ABE policy LSSS", () => {
  for (const { policy, satisfied } of cases) {
    it(`reconstructs the secret exactly for satisfying sets of ${policy}`, () => {
      const tree = parsePolicy(policy);
      const matrix = buildLsss(tree);
      const attributes = [...policyAttributes(tree), "other:x"];
      for (const subset of subsets(attributes)) {
        const set = new Set(subset);
        const coefficients = reconstructionCoefficients(tree, set);
        expect(coefficients !== null, `${[...set].join(",")}`).toBe(satisfied(set));
        if (!coefficients) continue;
        // Random shares λ_i = M_i · (s, r_2, …, r_n) over Fr; Σ c_i λ_i must give back s.
        const secret = randomFr();
        const v = [secret, ...Array.from({ length: matrix.columns - 1 }, randomFr)];
        const shares = matrix.rows.map((row) => mod(row.vector.reduce((acc, m, j) => acc + m * v[j]!, 0n)));
        let recovered = 0n;
        for (const [row, c] of coefficients) {
          expect(set.has(matrix.rows[row]!.attribute)).toBe(true);
          recovered = mod(recovered + c * shares[row]!);
        }
        expect(recovered).toBe(secret);
        // And Σ c_i M_i is the target vector (1, 0, …, 0).
        const combined = Array.from({ length: matrix.columns }, (_, j) =>
          mod([...coefficients].reduce((acc, [row, c]) => acc + c * matrix.rows[row]!.vector[j]!, 0n)),
        );
        expect(combined).toEqual([1n, ...Array(matrix.columns - 1).fill(0n)]);
      }
    });
  }

  it("builds one row per leaf, repeating attributes that occur twice", () => {
    const matrix = buildLsss(parsePolicy("(a:1 AND b:2) OR (a:1 AND c:3)"));
    expect(matrix.rows.map((r) => r.attribute)).toEqual(["a:1", "b:2", "a:1", "c:3"]);
  });

  it("uses only 0 and ±1 entries for AND/OR policies", () => {
    const matrix = buildLsss(parsePolicy("(hospital:h1 OR hospital:h2) AND role:doctor AND dept:cardiology"));
    for (const row of matrix.rows) for (const m of row.vector) expect([0n, 1n, FR_ORDER - 1n]).toContain(m);
  });
});

describe("ABE policy parser", () => {
  it("accepts the documented attribute forms and lower-cases them", () => {
    const tree = parsePolicy("hospital:0xABCdef01 AND Role:Doctor AND level:2 AND dept:cardio_logy-1.a");
    expect(policyAttributes(tree)).toEqual(["hospital:0xabcdef01", "role:doctor", "level:2", "dept:cardio_logy-1.a"]);
  });

  it("gives AND precedence over OR", () => {
    const tree = parsePolicy("a:1 OR b:2 AND c:3");
    expect(tree).toEqual({
      kind: "gate",
      threshold: 1,
      children: [
        { kind: "attribute", attribute: "a:1" },
        { kind: "gate", threshold: 2, children: [{ kind: "attribute", attribute: "b:2" }, { kind: "attribute", attribute: "c:3" }] },
      ],
    });
  });

  const errors: [string, RegExp][] = [
    ["", /policy is empty/],
    ["role:doctor AND", /position 15: expected an attribute.*end of policy/],
    ["(role:doctor OR dept:x", /position 22: expected "\)"/],
    ["role:doctor dept:x", /position 12: unexpected "dept:x"/],
    ["role:doctor $ dept:x", /position 12: unexpected character "\$"/],
    ["role AND dept:x", /position 0: .*name:value/],
    ["role:a:b", /position 0: .*name:value/],
    ["3 of (a:1, b:2)", /position 0: threshold 3 must be between 1 and the number of items \(2\)/],
    ["0 of (a:1, b:2)", /threshold 0/],
    ["2 of a:1, b:2", /position 5: expected "\(" after "of"/],
    ["2 of (a:1, b:2", /position 14: expected "," or "\)"/],
    ["AND a:1", /position 0: expected an attribute before "AND"/],
    [") a:1", /position 0: expected an attribute, a threshold or "\("/],
  ];
  for (const [policy, message] of errors) {
    it(`rejects ${JSON.stringify(policy)}`, () => {
      expect(() => parsePolicy(policy)).toThrow(message);
    });
  }
});
