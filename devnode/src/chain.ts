// The chain: an in-process EVM made durable by the journal. All writes go through one queue so that
// each transaction gets its own block, its own strictly increasing ms timestamp and its own journal
// line, in the same order in the EVM and in the file.
import type { Interface, Wallet } from "ethers";
import { describeRevert, parseAbi } from "./abi-codec.ts";
import { Code, FrontError } from "./errors.ts";
import { asProviderFailure, createEvm, type Eip1193 } from "./evm.ts";
import { Journal, JournalError, type JournalHeader, type JournalTx } from "./journal.ts";
import type { Logger } from "./logger.ts";
import {
  toFiscoReceipt,
  type EthBlock,
  type EthLog,
  type EthReceipt,
  type EthTx,
  type FiscoReceipt,
} from "./receipt.ts";

/** JSON-RPC quantity: hex without leading zeros ("0x0", "0x1a"). */
const qty = (n: number): string => "0x" + n.toString(16);

export const BLOCK_GAS_LIMIT = 30_000_000;
export const HARDFORK = "london";

export interface ChainOptions {
  dataDir: string;
  chainId: number;
  logger: Logger;
}

export interface SendRequest {
  wallet: Wallet;
  /** undefined for a deployment */
  to?: string;
  data: string;
  /** ABI to remember for the deployed contract (names custom errors in later receipts) */
  deployAbi?: unknown[];
}

export type CallResult = { ok: true; data: string } | { ok: false; data: string; reason: string };

export class Chain {
  private queue: Promise<unknown> = Promise.resolve();
  private lastTimestamp: number;
  /** revert data (failed txs) and return data (successful calls) by tx hash: not in Ethereum receipts */
  private readonly outputs = new Map<string, string>();
  /** ABIs given at deployment, by lower-case contract address */
  private readonly abis = new Map<string, Interface>();
  /** set when the EVM and the journal may disagree: refuse further writes rather than lose data */
  private broken: string | undefined;

  private constructor(
    private readonly evm: Eip1193,
    private readonly journal: Journal,
    readonly header: JournalHeader,
    private readonly logger: Logger,
  ) {
    this.lastTimestamp = header.initialDateMs;
  }

  static async open(opts: ChainOptions): Promise<Chain> {
    const { journal, header, entries } = await Journal.open(
      opts.dataDir,
      () => ({
        kind: "genesis",
        version: 1,
        chainId: opts.chainId,
        initialDateMs: Date.now(),
        hardfork: HARDFORK,
        blockGasLimit: BLOCK_GAS_LIMIT,
      }),
      opts.logger,
    );
    try {
      if (header.chainId !== opts.chainId) {
        throw new JournalError(
          `${journal.file} was created with chainId ${header.chainId}, but chainId ${opts.chainId} was requested. ` +
            `Use the same chainId or another data dir.`,
        );
      }
      const evm = await createEvm({
        chainId: header.chainId,
        initialDateMs: header.initialDateMs,
        hardfork: header.hardfork,
        blockGasLimit: header.blockGasLimit,
      });
      const chain = new Chain(evm, journal, header, opts.logger);
      const t0 = Date.now();
      for (const e of entries) await chain.replay(e, journal.file);
      if (entries.length > 0)
        opts.logger.info(`replayed ${entries.length} transactions in ${Date.now() - t0} ms`);
      return chain;
    } catch (e) {
      await journal.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.journal.close();
  }

  rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.evm.request({ method, params }) as Promise<T>;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Prepare the next block: its ms timestamp, and a zero base fee so gas stays free whatever the last block used. */
  private async prepareBlock(ts: number): Promise<void> {
    await this.rpc("evm_setNextBlockTimestamp", [ts]);
    await this.rpc("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
  }

  /** Submit a signed raw tx; automine mines it even when it fails (the provider then throws). */
  private async submit(
    raw: string,
  ): Promise<{ hash: string; failed: boolean; revertData?: string; error?: string }> {
    try {
      const hash = await this.rpc<string>("eth_sendRawTransaction", [raw]);
      return { hash, failed: false };
    } catch (e) {
      const f = asProviderFailure(e);
      if (!f.transactionHash)
        throw new FrontError(Code.TX_SEND_FAILED, "transaction send to chain failed", f.message);
      return { hash: f.transactionHash, failed: true, revertData: f.data ?? "0x", error: f.message };
    }
  }

  private async replay(e: JournalTx, file: string): Promise<void> {
    const diverged = (what: string) =>
      new JournalError(
        `${file}: replaying block ${e.n} gave a different ${what} than recorded; the journal does not match this ` +
          `devnode version or was edited.`,
      );
    await this.prepareBlock(e.ts);
    let r;
    try {
      r = await this.submit(e.raw);
    } catch (err) {
      throw new JournalError(
        `${file}: the transaction of block ${e.n} was rejected on replay: ${(err as Error).message}`,
      );
    }
    if (r.hash !== e.hash) throw diverged("transaction hash");
    const rc = await this.rpc<EthReceipt>("eth_getTransactionReceipt", [r.hash]);
    if (Number(BigInt(rc.blockNumber)) !== e.n) throw diverged("block number");
    if (rc.blockHash !== e.block) throw diverged("block hash");
    this.lastTimestamp = e.ts;
    if (r.failed) this.outputs.set(r.hash, r.revertData ?? "0x");
    if (e.abi && rc.contractAddress) this.rememberAbi(rc.contractAddress, e.abi);
  }

  private rememberAbi(address: string, abi: unknown[]): void {
    try {
      this.abis.set(address.toLowerCase(), parseAbi(abi));
    } catch {
      /* an ABI we cannot read only costs readable custom-error names */
    }
  }

  abiOf(address: string | null | undefined): Interface | undefined {
    return address ? this.abis.get(address.toLowerCase()) : undefined;
  }

  /** Sign with the user's key, mine in a block of its own, journal (fsync), return the tx hash. */
  send(req: SendRequest): Promise<string> {
    return this.exclusive(async () => {
      if (this.broken) throw new FrontError(Code.SYSTEM_ERROR, `devnode refuses writes: ${this.broken}`);
      const from = req.wallet.address.toLowerCase();
      const nonce = Number(BigInt(await this.rpc<string>("eth_getTransactionCount", [from, "latest"])));
      // A fixed limit, as FISCO BCOS applies one (tx_gas_limit): an estimate made at the previous block's
      // time can fall short when the transaction runs at the next block's time and takes another path.
      const gasLimit = this.header.blockGasLimit;
      const raw = await req.wallet.signTransaction({
        type: 0,
        chainId: this.header.chainId,
        nonce,
        gasPrice: 0,
        gasLimit,
        to: req.to ?? null,
        data: req.data,
        value: 0,
      });
      // Strictly increasing ms timestamps, as FISCO BCOS block times are.
      const ts = Math.max(Date.now(), this.lastTimestamp + 1);
      await this.prepareBlock(ts);
      const r = await this.submit(raw);
      let rc: EthReceipt;
      try {
        rc = await this.rpc<EthReceipt>("eth_getTransactionReceipt", [r.hash]);
        const entry: JournalTx = {
          kind: "tx",
          n: Number(BigInt(rc.blockNumber)),
          ts,
          raw,
          hash: r.hash,
          block: rc.blockHash,
          ...(req.deployAbi && rc.contractAddress ? { abi: req.deployAbi } : {}),
        };
        await this.journal.append(entry);
      } catch (e) {
        // The EVM holds a block the journal may lack: a restart would lose it. Stop accepting writes.
        this.broken = `could not journal transaction ${r.hash}: ${(e as Error).message}`;
        this.logger.error(this.broken);
        throw new FrontError(Code.SYSTEM_ERROR, "system error", this.broken);
      }
      this.lastTimestamp = ts;
      if (r.failed) this.outputs.set(r.hash, r.revertData ?? "0x");
      if (req.deployAbi && rc.contractAddress) this.rememberAbi(rc.contractAddress, req.deployAbi);
      return r.hash;
    });
  }

  async call(req: { from?: string; to: string; data: string }): Promise<CallResult> {
    try {
      const data = await this.rpc<string>("eth_call", [
        { from: req.from, to: req.to, data: req.data, gas: qty(this.header.blockGasLimit) },
        "latest",
      ]);
      return { ok: true, data };
    } catch (e) {
      const f = asProviderFailure(e);
      if (f.data === undefined) {
        throw new FrontError(Code.TX_QUERY_FAILED, "transaction query from chain failed", f.message);
      }
      return { ok: false, data: f.data, reason: describeRevert(f.data, [this.abiOf(req.to)]) };
    }
  }

  async blockNumber(): Promise<number> {
    return Number(BigInt(await this.rpc<string>("eth_blockNumber")));
  }

  async blockByNumber(n: number): Promise<EthBlock | null> {
    return this.rpc<EthBlock | null>("eth_getBlockByNumber", [qty(n), true]);
  }

  async blockByHash(hash: string): Promise<EthBlock | null> {
    return this.rpc<EthBlock | null>("eth_getBlockByHash", [hash, true]);
  }

  async transaction(hash: string): Promise<EthTx | null> {
    return this.rpc<EthTx | null>("eth_getTransactionByHash", [hash]);
  }

  async blockTimestamp(n: number): Promise<number> {
    const b = await this.rpc<{ timestamp: string } | null>("eth_getBlockByNumber", [qty(n), false]);
    return b ? Number(BigInt(b.timestamp)) : 0;
  }

  /** The FISCO receipt of a transaction, or null if unknown. `abi` helps name custom errors. */
  async receipt(hash: string, abi?: Interface): Promise<FiscoReceipt | null> {
    const rc = await this.rpc<EthReceipt | null>("eth_getTransactionReceipt", [hash]);
    if (!rc) return null;
    const tx = await this.rpc<EthTx>("eth_getTransactionByHash", [hash]);
    const output = await this.outputOf(rc, tx);
    const ok = rc.status === "0x1";
    const reason = ok ? "" : describeRevert(output, [abi, this.abiOf(rc.to)]);
    return toFiscoReceipt(rc, tx, output, reason);
  }

  /**
   * Ethereum receipts carry no output. Revert data is captured when the tx is mined (or replayed);
   * a successful call's return data is recomputed once by re-running the call on the parent block's state
   * (one tx per block, so that state is exactly what the tx saw) and cached.
   */
  private async outputOf(rc: EthReceipt, tx: EthTx): Promise<string> {
    const cached = this.outputs.get(rc.transactionHash);
    if (cached !== undefined) return cached;
    if (!rc.to || rc.status !== "0x1") return "0x"; // a deployment returns no output in FISCO receipts
    let out = "0x";
    try {
      const parent = qty(Number(BigInt(rc.blockNumber)) - 1);
      out = await this.rpc<string>("eth_call", [
        { from: tx.from, to: tx.to, data: tx.input, gas: tx.gas },
        parent,
      ]);
    } catch {
      out = "0x"; // the block context differed enough to fail: report no output rather than a wrong one
    }
    this.outputs.set(rc.transactionHash, out);
    return out;
  }

  async receiptsOfBlock(n: number): Promise<FiscoReceipt[]> {
    const b = await this.rpc<{ transactions: string[] } | null>("eth_getBlockByNumber", [qty(n), false]);
    if (!b) return [];
    const out: FiscoReceipt[] = [];
    for (const h of b.transactions) {
      const r = await this.receipt(h);
      if (r) out.push(r);
    }
    return out;
  }

  async logs(filter: {
    fromBlock: number;
    toBlock: number;
    address?: string;
    topics: (string | null)[];
  }): Promise<EthLog[]> {
    return this.rpc<EthLog[]>("eth_getLogs", [
      {
        fromBlock: qty(filter.fromBlock),
        toBlock: qty(filter.toBlock),
        address: filter.address,
        topics: filter.topics,
      },
    ]);
  }
}
