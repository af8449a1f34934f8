import { describe, expect, it } from "vitest";
import { describeChain, MIN_TX_GAS_LIMIT, refusalsOf, type ChainFacts } from "../src/chain-check.ts";

const fisco: ChainFacts = { groupId: "group0", crypto: "ecdsa", evmTimestampInSeconds: false, txGasLimit: 3_000_000_000n, head: 7 };

describe("refusalsOf", () => {
  it("accepts a default FISCO BCOS 3.x ECDSA group", () => {
    expect(refusalsOf(fisco)).toEqual([]);
    expect(describeChain(fisco)).toBe("chain: group group0, ECDSA, block.timestamp in milliseconds, tx_gas_limit 3000000000, head block 7");
  });

  it("refuses an SM group, a seconds clock and a small gas limit, each with its reason", () => {
    const reasons = refusalsOf({ ...fisco, crypto: "sm", evmTimestampInSeconds: true, txGasLimit: MIN_TX_GAS_LIMIT - 1n });
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/SM3/);
    expect(reasons[1]).toMatch(/feature_evm_timestamp/);
    expect(reasons[2]).toMatch(/tx_gas_limit/);
  });

  it("accepts a gas limit exactly at the minimum", () => {
    expect(refusalsOf({ ...fisco, txGasLimit: MIN_TX_GAS_LIMIT })).toEqual([]);
  });
});
