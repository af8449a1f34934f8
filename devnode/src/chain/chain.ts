// The chain: an in-process EVM made durable by the journal, seen as FISCO blocks.
//
// A FISCO block of k transactions is k consecutive EVM blocks (automine, one transaction each, so
// EDR hands out each failing transaction's revert data as it mines it) that share the block's
// timestamp. The Sealer decides what goes into a block; `seal` signs, mines, journals (fsync) and
// indexes it, in that order, one block at a time.
import type { Wallet } from "ethers";
import { classifyFailure } from "../codec/revert.ts";
import type { Logger } from "../logger.ts";
import { BlockIndex, type FiscoBlock, type FiscoTx, fiscoBlockHash } from "./blocks.ts";
import { asProviderFailure, createEvm, type Eip1193 } from "./evm.ts";
import { Journal, JournalError, type JournalHeader, type JournalTx, type ReplayBlock } from "./journal.ts";
import { TX_GAS_LIMIT } from "./system-config.ts";

/** JSON-RPC quantity: hex without leading zeros ("0x0", "0x1a"). */
export const qty = (n: number | bigint): string => "0x" + n.toString(16);
const ZERO_HASH = "0x" + "00".repeat(32);

export const HARDFORK = "london";

export interface ChainOptions {
  dataDir: string;
  chainId: number;
  logger: Logger;
  /** feature_evm_timestamp for a new data dir (an existing one keeps what its journal says) */
  evmTimestampSeconds: boolean;
}

export interface SendRequest {
  wallet: Wallet;
  /** the request's contractAddress as given; undefined for a deployment */
  to?: string;
  data: string;
  importTime: number;
}

/** Each request's fate: mined into the block (hash), or refused by the EVM before mining. */
export type SendResult = { hash: string } | { refused: string };

interface EthReceiptLite {
  blockHash: string;
  blockNumber: string;
  gasUsed: string;
}

export class Chain {
  /** FISCO status and output of failed transactions, learnt when they are mined or replayed */
  private readonly failures = new Map<string, { status: number; output: string }>();
  /** set when the EVM and the journal may disagree: refuse further writes rather than lose data */
  private broken: string | undefined;

  private constructor(
    readonly evm: Eip1193,
    private readonly journal: Journal,
    readonly header: JournalHeader,
    readonly index: BlockIndex,
    private readonly logger: Logger,
  ) {}

  static async open(opts: ChainOptions): Promise<Chain> {
    const { journal, header, blocks, fileVersion } = await Journal.open(
      opts.dataDir,
      () => ({
        kind: "genesis",
        version: 2,
        chainId: opts.chainId,
        initialDateMs: Date.now(),
        hardfork: HARDFORK,
        gasLimit: TX_GAS_LIMIT,
        allowUnlimitedContractSize: true,
        evmTimestampSeconds: opts.evmTimestampSeconds,
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
      if (header.evmTimestampSeconds !== opts.evmTimestampSeconds) {
        throw new JournalError(
          `${journal.file} was created with feature_evm_timestamp ${header.evmTimestampSeconds ? "on" : "off"}; ` +
            `it cannot change for an existing chain (EVM timestamps would go backwards). Use another data dir.`,
        );
      }
      const evm = await createEvm(header);
      const genesis = (await evm.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as {
        hash: string;
        stateRoot: string;
      };
      const index = new BlockIndex({
        number: 0,
        timestamp: header.initialDateMs,
        hash: genesis.hash,
        parentHash: ZERO_HASH,
        evmFrom: 0,
        evmTo: 0,
        stateRoot: genesis.stateRoot,
        txs: [],
      });
      const chain = new Chain(evm, journal, header, index, opts.logger);
      const t0 = Date.now();
      for (const b of blocks) await chain.replay(b);
      if (blocks.length > 0) {
        const txs = blocks.reduce((n, b) => n + b.txs.length, 0);
        opts.logger.info(`replayed ${blocks.length} blocks (${txs} transactions) in ${Date.now() - t0} ms`);
      }
      if (fileVersion === 1) {
        await journal.rewrite(header, chain.journalBlocks(blocks));
        opts.logger.info(`${journal.file}: rewritten in format version 2 (the v1 file is kept as .v1.bak)`);
      }
      return chain;
    } catch (e) {
      await journal.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.evm.request({ method, params }) as Promise<T>;
  }

  get head(): FiscoBlock {
    return this.index.head;
  }

  failureOf(txHash: string): { status: number; output: string } | undefined {
    return this.failures.get(txHash);
  }

  /** The EVM timestamp of a FISCO block time: ms, or s with feature_evm_timestamp. */
  private evmTime(ms: number): number {
    return this.header.evmTimestampSeconds ? Math.floor(ms / 1000) : ms;
  }

  /** Mine one signed transaction in an EVM block of its own at `evmTs`; automine mines it even when it fails. */
  private async mine(raw: string, evmTs: number): Promise<{ hash: string } | { refused: string }> {
    await this.rpc("evm_setNextBlockTimestamp", [evmTs]);
    // a zero base fee for every block, so gas stays free whatever the last block used
    await this.rpc("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
    try {
      return { hash: await this.rpc<string>("eth_sendRawTransaction", [raw]) };
    } catch (e) {
      const f = asProviderFailure(e);
      if (!f.transactionHash) return { refused: f.message };
      this.failures.set(f.transactionHash, classifyFailure(f.message, f.data));
      return { hash: f.transactionHash };
    }
  }

  /** The index entry of a mined transaction (its EVM block is the latest one). */
  private async minedTx(hash: string, to: string, importTime: number): Promise<FiscoTx> {
    const rc = await this.rpc<EthReceiptLite>("eth_getTransactionReceipt", [hash]);
    return {
      hash,
      to,
      importTime,
      evmBlock: Number(BigInt(rc.blockNumber)),
      evmBlockHash: rc.blockHash,
      gasUsed: BigInt(rc.gasUsed),
      status: this.failures.get(hash)?.status ?? 0,
    };
  }

  private async makeBlock(number: number, timestamp: number, txs: FiscoTx[]): Promise<FiscoBlock> {
    const last = await this.rpc<{ hash: string; stateRoot: string }>("eth_getBlockByNumber", [
      "latest",
      false,
    ]);
    const parentHash = this.head.hash;
    return {
      number,
      timestamp,
      parentHash,
      hash: fiscoBlockHash(
        parentHash,
        number,
        timestamp,
        txs.map((t) => t.hash),
        last.hash,
      ),
      evmFrom: txs[0]!.evmBlock,
      evmTo: txs[txs.length - 1]!.evmBlock,
      stateRoot: last.stateRoot,
      txs,
    };
  }

  /**
   * Seal one block of these requests, in order: sign each (nonces follow the EVM state as it grows),
   * mine it, then journal the block (fsync) and index it. Only then are the callers answered.
   */
  async seal(reqs: SendRequest[]): Promise<SendResult[]> {
    if (this.broken) throw new Error(`devnode refuses writes: ${this.broken}`);
    const number = this.head.number + 1;
    const timestamp = Math.max(Date.now(), this.head.timestamp + 1); // strictly increasing, in ms
    const evmTs = this.evmTime(timestamp);
    const results: SendResult[] = [];
    const mined: { tx: FiscoTx; journal: JournalTx }[] = [];
    try {
      for (const r of reqs) {
        const from = r.wallet.address.toLowerCase();
        const nonce = Number(BigInt(await this.rpc<string>("eth_getTransactionCount", [from, "latest"])));
        const raw = await r.wallet.signTransaction({
          type: 0,
          chainId: this.header.chainId,
          nonce,
          gasPrice: 0,
          gasLimit: this.header.gasLimit, // FISCO applies tx_gas_limit to every transaction
          to: r.to ? r.to.toLowerCase() : null,
          data: r.data,
          value: 0,
        });
        const res = await this.mine(raw, evmTs);
        results.push(res);
        if ("refused" in res) continue;
        const to = r.to ?? "";
        mined.push({
          tx: await this.minedTx(res.hash, to, r.importTime),
          journal: { raw, to, importTime: r.importTime },
        });
      }
      if (mined.length === 0) return results; // nothing mined: no block
      const block = await this.makeBlock(
        number,
        timestamp,
        mined.map((m) => m.tx),
      );
      const evmHash = mined[mined.length - 1]!.tx.evmBlockHash;
      await this.journal.append({
        kind: "block",
        n: number,
        ts: timestamp,
        txs: mined.map((m) => m.journal),
        hash: block.hash,
        evmHash,
      });
      this.index.add(block);
      return results;
    } catch (e) {
      // The EVM may hold blocks the journal lacks: a restart would lose them. Stop accepting writes.
      this.broken = `could not seal block ${number}: ${(e as Error).message}`;
      this.logger.error(this.broken);
      throw new Error(this.broken);
    }
  }

  private async replay(b: ReplayBlock): Promise<void> {
    const file = this.journal.file;
    const diverged = (what: string) =>
      new JournalError(
        `${file}: replaying block ${b.n} gave a different ${what} than recorded; the journal does not match this ` +
          `devnode version or was edited.`,
      );
    const evmTs = this.evmTime(b.ts);
    const txs: FiscoTx[] = [];
    for (const t of b.txs) {
      const res = await this.mine(t.raw, evmTs);
      if ("refused" in res) {
        throw new JournalError(
          `${file}: a transaction of block ${b.n} was rejected on replay: ${res.refused}`,
        );
      }
      txs.push(await this.minedTx(res.hash, t.to, t.importTime));
    }
    const block = await this.makeBlock(b.n, b.ts, txs);
    const evmHash = txs[txs.length - 1]!.evmBlockHash;
    if ("txHash" in b.check && txs[0]!.hash !== b.check.txHash) throw diverged("transaction hash");
    if (evmHash !== b.check.evmHash) throw diverged("block hash");
    if ("hash" in b.check && block.hash !== b.check.hash) throw diverged("block hash");
    this.index.add(block);
  }

  /** The v2 lines of replayed blocks (to rewrite a v1 journal). */
  private journalBlocks(blocks: ReplayBlock[]) {
    return blocks.map((b) => {
      const fb = this.index.byNumber(b.n)!;
      return {
        kind: "block" as const,
        n: b.n,
        ts: b.ts,
        txs: b.txs,
        hash: fb.hash,
        evmHash: fb.txs[fb.txs.length - 1]!.evmBlockHash,
      };
    });
  }
}
