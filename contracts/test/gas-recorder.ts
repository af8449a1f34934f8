/**
 * What the gas scenarios in ./gas share (kept outside ./gas: scripts/bench.ts imports every file there
 * and expects each to export `gasScenario`): a devnode of the scenario's own and the table rows.
 */
import type { TransactionReceipt } from "@yyl/sdk";
import { withFreshChain, type Chain } from "./devnode.ts";

export interface GasRow {
  contract: string;
  fn: string;
  gasUsed: number;
}

/** Adds the receipt's gas as a row; a failed transaction fails the scenario instead of measuring a revert. */
export type RecordGas = (contract: string, fn: string, receipt: TransactionReceipt) => void;

/** Runs `scenario` on a fresh devnode and returns the rows it recorded, in the order it recorded them. */
export function measureGas(scenario: (chain: Chain, record: RecordGas) => Promise<void>): Promise<GasRow[]> {
  return withFreshChain(async (chain) => {
    const rows: GasRow[] = [];
    await scenario(chain, (contract, fn, receipt) => {
      if (!receipt.statusOK)
        throw new Error(`${contract}.${fn} failed: ${receipt.message ?? receipt.status}`);
      rows.push({ contract, fn, gasUsed: Number(BigInt(receipt.gasUsed)) });
    });
    return rows;
  });
}
