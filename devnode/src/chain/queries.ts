// Reading the chain: view calls, transaction outputs, logs and code — always against committed FISCO
// blocks, never against EVM blocks of a block still being sealed.
import { classifyFailure } from "../codec/revert.ts";
import type { FiscoBlock, FiscoTx } from "./blocks.ts";
import { type Chain, qty } from "./chain.ts";
import { asProviderFailure } from "./evm.ts";

export interface EthTx {
  hash: string;
  from: string;
  to: string | null;
  input: string;
  nonce: string;
  r: string;
  s: string;
  v: string;
}

export interface EthLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
}

export interface EthReceipt {
  transactionHash: string;
  from: string;
  to: string | null;
  gasUsed: string;
  contractAddress: string | null;
  logs: EthLog[];
}

/** A log as FISCO numbers it: its FISCO block, the transaction's index there, its index in the receipt. */
export interface FiscoLog {
  block: FiscoBlock;
  txIndex: number;
  logIndex: number;
  log: EthLog;
}

const ZERO_ADDRESS = "0x" + "00".repeat(20);

export class Queries {
  /** return data of successful transactions, computed on first use */
  private readonly outputs = new Map<string, string>();

  constructor(private readonly chain: Chain) {}

  /**
   * A view call as FISCO runs it: on the state and header of the last committed block (the baseline
   * scheduler of 3.x, FB transaction-scheduler/bcos-transaction-scheduler/BaselineScheduler.h `call`),
   * with no sender — java-sdk sends none (SDK client/ClientImpl.java `call`), so `msg.sender` is the
   * zero address (FB transaction-executor/bcos-transaction-executor/TransactionExecutorImpl.h, m_origin)
   * — and the chain's tx_gas_limit.
   */
  async call(to: string, data: string): Promise<{ status: number; output: string }> {
    try {
      const output = await this.chain.rpc<string>("eth_call", [
        { from: ZERO_ADDRESS, to: to.toLowerCase(), data, gas: qty(this.chain.header.gasLimit) },
        qty(this.chain.head.evmTo),
      ]);
      return { status: 0, output };
    } catch (e) {
      const f = asProviderFailure(e);
      if (f.data === undefined && !/reverted|invalid opcode|out of gas/i.test(f.message)) throw e;
      return classifyFailure(f.message, f.data);
    }
  }

  ethTx(hash: string): Promise<EthTx> {
    return this.chain.rpc<EthTx>("eth_getTransactionByHash", [hash]);
  }

  ethReceipt(hash: string): Promise<EthReceipt> {
    return this.chain.rpc<EthReceipt>("eth_getTransactionReceipt", [hash]);
  }

  /**
   * FISCO receipts carry the output: revert data or the node's Error(string) for failures, the return
   * data for successful calls, nothing for deployments. Ethereum receipts carry none, so the return
   * data is recomputed once by tracing the transaction in its own block (exact: same state, same block).
   */
  async output(tx: FiscoTx, isDeploy: boolean): Promise<string> {
    const failure = this.chain.failureOf(tx.hash);
    if (failure) return failure.output;
    if (isDeploy) return "0x";
    const cached = this.outputs.get(tx.hash);
    if (cached !== undefined) return cached;
    const trace = await this.chain.rpc<{ returnValue: string }>("debug_traceTransaction", [
      tx.hash,
      { disableStack: true, disableMemory: true, disableStorage: true },
    ]);
    const out = "0x" + (trace.returnValue ?? "").replace(/^0x/, "");
    this.outputs.set(tx.hash, out);
    return out;
  }

  /** Logs of FISCO blocks from..to (committed), optionally of one lower-case contract address. */
  async logs(from: FiscoBlock, to: FiscoBlock, address?: string): Promise<FiscoLog[]> {
    const logs = await this.chain.rpc<EthLog[]>("eth_getLogs", [
      { fromBlock: qty(from.evmFrom), toBlock: qty(to.evmTo), ...(address ? { address } : {}) },
    ]);
    return logs.map((log) => {
      const evm = Number(BigInt(log.blockNumber));
      const block = this.chain.index.ofEvmBlock(evm)!;
      // one transaction per EVM block: its index in the FISCO block, and the EVM log index is per receipt
      return { block, txIndex: evm - block.evmFrom, logIndex: Number(BigInt(log.logIndex)), log };
    });
  }

  /** Runtime code at the committed head: "0x" when there is none. */
  code(address: string): Promise<string> {
    return this.chain.rpc<string>("eth_getCode", [address.toLowerCase(), qty(this.chain.head.evmTo)]);
  }
}
