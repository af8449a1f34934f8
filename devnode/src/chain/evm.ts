// In-process EVM: Hardhat Network (EDR) driven through its EIP-1193 provider, created from hardhat's
// internals so no hardhat config file, project or compiler is involved (we never compile with hardhat).
import { createRequire } from "node:module";
import type { JournalHeader } from "./journal.ts";

const require = createRequire(import.meta.url);

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** The EVM is made from what the journal header fixes at genesis (blocks carry one transaction each, so
 *  the per-transaction gas limit is the block gas limit too). */
export type EvmOptions = Pick<
  JournalHeader,
  "chainId" | "initialDateMs" | "hardfork" | "gasLimit" | "allowUnlimitedContractSize" | "evmTimestampSeconds"
>;

/** An error from the provider for a transaction that was mined but failed (or a failed eth_call). */
export interface ProviderFailure {
  message: string;
  /** revert data, 0x-hex, when the EVM produced some */
  data?: string;
  /** set when a sent transaction was mined anyway (automine mines failing transactions, then throws) */
  transactionHash?: string;
}

export function asProviderFailure(e: unknown): ProviderFailure {
  const err = e as { message?: unknown; data?: unknown; transactionHash?: unknown };
  let data: string | undefined;
  let transactionHash: string | undefined;
  // Two shapes depending on whether EDR produced a Solidity stack trace: `data` is the revert data
  // itself, or an object `{data, transactionHash}`.
  if (typeof err.data === "string") data = err.data;
  else if (err.data && typeof err.data === "object") {
    const d = err.data as { data?: unknown; transactionHash?: unknown };
    if (typeof d.data === "string") data = d.data;
    if (typeof d.transactionHash === "string") transactionHash = d.transactionHash;
  }
  if (typeof err.transactionHash === "string") transactionHash = err.transactionHash;
  return { message: typeof err.message === "string" ? err.message : String(e), data, transactionHash };
}

type CreateProvider = (
  config: Record<string, unknown>,
  loggerConfig: { enabled: boolean },
) => Promise<Eip1193>;

export async function createEvm(opts: EvmOptions): Promise<Eip1193> {
  const { createHardhatNetworkProvider } = require("hardhat/internal/hardhat-network/provider/provider") as {
    createHardhatNetworkProvider: CreateProvider;
  };
  // EDR takes the initial date in seconds (it divides getTime() by 1000). Blocks are timed in ms unless
  // feature_evm_timestamp is on, so in ms mode hand it a Date 1000× later to get a genesis in ms.
  const initialDate = new Date(opts.evmTimestampSeconds ? opts.initialDateMs : opts.initialDateMs * 1000);
  return createHardhatNetworkProvider(
    {
      hardfork: opts.hardfork, // london: the EVM revision FISCO BCOS 3.x uses by default (no PUSH0)
      chainId: opts.chainId,
      networkId: opts.chainId,
      blockGasLimit: opts.gasLimit,
      minGasPrice: 0n,
      initialBaseFeePerGas: 0, // gas is free, like FISCO BCOS: accounts need no balance
      // One EVM block per transaction: EDR then reports each failing transaction's revert data and
      // hash as it mines it. A FISCO block is a run of such EVM blocks sharing one timestamp.
      automine: true,
      intervalMining: 0,
      mempoolOrder: "fifo",
      chains: new Map(),
      genesisAccounts: [],
      allowUnlimitedContractSize: opts.allowUnlimitedContractSize,
      // With these on, a failing transaction is still mined but the provider throws an error carrying
      // the revert data and the transaction hash — the only way to learn the revert data of a mined tx
      // without re-executing it.
      throwOnTransactionFailures: true,
      throwOnCallFailures: true,
      allowBlocksWithSameTimestamp: true,
      initialDate,
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  );
}
