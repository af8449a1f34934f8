import { toNamed, type ChainBlock, type TransactionReceipt } from "@yyl/sdk";
import { keccak256, toUtf8Bytes } from "ethers";
import type { Logger } from "pino";
import type { PrismaClient, Prisma } from "../generated/prisma/client.ts";
import type { Chain } from "../chain/chain.ts";
import type { ContractName } from "@yyl/deploy";
import { MIRRORS, type EventContext } from "./handlers/index.ts";

// Follows the chain block by block through WeBASE-Front and mirrors the contracts' events into MySQL:
// one database transaction per block (events, entity rows and the cursor together), idempotent, with
// the cursor's block hash checked against each new block's parent to notice a replaced chain.

const CURSOR_ID = "main";
const BLOCKS_PER_TICK = 200;

export interface IndexerStatus {
  blockNumber: number;
  head: number;
  lag: number;
  rebuilds: number;
  lastError: string | null;
}

interface Decoded {
  contract: ContractName;
  address: string;
  name: string;
  args: Record<string, unknown>;
  logIndex: number;
  txHash: string;
}

const jsonSafe = (v: unknown): Prisma.InputJsonValue =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

export class Indexer {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly state: IndexerStatus = { blockNumber: -1, head: -1, lag: 0, rebuilds: 0, lastError: null };
  private waiters: { block: number; resolve: () => void }[] = [];

  /** Identifies the set of contracts mirrored: keccak256 of their addresses. */
  private readonly deploymentKey: string;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly chain: Chain,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {
    this.deploymentKey = keccak256(toUtf8Bytes([...chain.indexed.keys()].sort().join(",")));
  }

  status(): IndexerStatus {
    return { ...this.state };
  }

  start(): void {
    if (this.timer) return;
    const loop = async () => {
      await this.tick();
      if (this.timer) this.timer = setTimeout(loop, this.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** One pass: catches up as far as the head allows. Never runs twice at once. */
  tick(): Promise<void> {
    this.ticking ??= this.syncOnce()
      .then(() => {
        this.state.lastError = null;
      })
      .catch((err: Error) => {
        this.state.lastError = err.message;
        this.logger.warn({ err }, "indexer pass failed; will retry");
      })
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  /** Resolves once the mirror holds block `n` (or rejects after `timeoutMs`). */
  async waitForBlock(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.state.blockNumber >= n) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = { block: n, resolve };
      this.waiters.push(waiter);
      void this.tick();
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`indexer did not reach block ${n} within ${timeoutMs} ms`));
      }, timeoutMs).unref();
    });
  }

  private async syncOnce(): Promise<void> {
    const client = this.chain.client;
    const genesis = await client.blockByNumber(0, { hashesOnly: true });
    if (!genesis) throw new Error("the chain has no genesis block");
    let cursor = await this.prisma.indexerCursor.findUnique({ where: { id: CURSOR_ID } });
    if (cursor && cursor.deployment !== this.deploymentKey) {
      await this.rebuild(`the contracts were deployed again (deployment ${this.deploymentKey})`);
      cursor = null;
    }
    if (cursor) {
      // A reset devnode may have the same genesis (fixed initial date) but not our last block.
      const atCursor = cursor.genesisHash === genesis.hash ? await client.blockByNumber(cursor.blockNumber, { hashesOnly: true }) : null;
      if (atCursor?.hash !== cursor.blockHash) {
        await this.rebuild(`indexed block ${cursor.blockNumber} (${cursor.blockHash}) is no longer on the chain`);
        cursor = null;
      }
    }
    const head = await client.blockNumber();
    this.state.head = head;
    // Reported before applying, so a block that keeps failing shows as lag rather than as "caught up".
    this.state.lag = Math.max(0, head - (cursor?.blockNumber ?? 0));
    let next = cursor ? cursor.blockNumber + 1 : 1;
    let parentHash = cursor ? cursor.blockHash : genesis.hash;
    const last = Math.min(head, next + BLOCKS_PER_TICK - 1);
    for (; next <= last; next++) {
      const block = await client.blockByNumber(next, { hashesOnly: true });
      if (!block) break;
      if (block.parentHash !== parentHash) {
        await this.rebuild(`block ${next}'s parent ${block.parentHash} is not the indexed ${parentHash}`);
        return;
      }
      const receipts = await client.receiptsOfBlock(next);
      await this.writeBlock(block, receipts, genesis.hash);
      parentHash = block.hash;
      this.state.blockNumber = next;
    }
    if (cursor && this.state.blockNumber < cursor.blockNumber) this.state.blockNumber = cursor.blockNumber;
    this.state.lag = Math.max(0, head - this.state.blockNumber);
    this.wake();
  }

  private decode(receipts: TransactionReceipt[]): Decoded[] {
    const out: Decoded[] = [];
    let logIndex = 0;
    for (const receipt of receipts) {
      for (const entry of receipt.logEntries ?? []) {
        const handle = this.chain.indexed.get(entry.address.toLowerCase());
        const index = logIndex++;
        if (!handle) continue;
        const [event] = handle.decodeLogs([entry]);
        if (!event) continue;
        out.push({
          contract: handle.contractName as ContractName,
          address: handle.address,
          name: event.name,
          args: toNamed(event.args as unknown[]),
          logIndex: index,
          txHash: receipt.transactionHash,
        });
      }
    }
    return out;
  }

  private async writeBlock(block: ChainBlock, receipts: TransactionReceipt[], genesisHash: string): Promise<void> {
    const events = this.decode(receipts);
    const blockTime = BigInt(block.timestamp);
    await this.prisma.$transaction(async (tx) => {
      // Events already mirrored (a replayed block) are not applied again: handlers may accumulate.
      const seen = new Set(
        (await tx.chainEvent.findMany({ where: { blockNumber: block.number }, select: { logIndex: true } })).map((e) => e.logIndex),
      );
      const fresh = events.filter((e) => !seen.has(e.logIndex));
      if (fresh.length) {
        await tx.chainEvent.createMany({
          data: fresh.map((e) => ({
            blockNumber: block.number,
            logIndex: e.logIndex,
            txHash: e.txHash,
            contract: e.contract,
            address: e.address,
            name: e.name,
            args: jsonSafe(e.args),
            blockTime,
          })),
        });
      }
      for (const e of fresh) {
        const at: EventContext = { blockNumber: block.number, logIndex: e.logIndex, txHash: e.txHash, blockTime };
        await MIRRORS[e.contract](tx, e.name, e.args, at);
      }
      const cursor = { blockNumber: block.number, blockHash: block.hash, genesisHash, deployment: this.deploymentKey };
      await tx.indexerCursor.upsert({ where: { id: CURSOR_ID }, create: { id: CURSOR_ID, ...cursor }, update: cursor });
    });
  }

  /** The chain we mirrored is gone (a reset devnode): drop the mirror and follow the new chain from block 1. */
  private async rebuild(why: string): Promise<void> {
    this.logger.warn({ why }, "chain replaced; rebuilding the mirror");
    const p = this.prisma;
    await p.$transaction([
      p.chainEvent.deleteMany(),
      p.emrRecordVersion.deleteMany(),
      p.emrRecord.deleteMany(),
      p.doctorCertification.deleteMany(),
      p.member.deleteMany(),
      p.allianceAdmin.deleteMany(),
      p.delegation.deleteMany(),
      p.consentGrantVersion.deleteMany(),
      p.consentGrant.deleteMany(),
      p.accessRequest.deleteMany(),
      p.blacklistEntry.deleteMany(),
      p.complaint.deleteMany(),
      p.emergencyAccessEntry.deleteMany(),
      p.visitStep.deleteMany(),
      p.visit.deleteMany(),
      p.scoreEvent.deleteMany(),
      p.hospitalScore.deleteMany(),
      p.recordRating.deleteMany(),
      p.recordPoints.deleteMany(),
      p.patientPoints.deleteMany(),
      p.researchAllocationRow.deleteMany(),
      p.researchProject.deleteMany(),
      p.indexerCursor.deleteMany(),
    ]);
    this.state.blockNumber = 0;
    this.state.rebuilds++;
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.block <= this.state.blockNumber);
    this.waiters = this.waiters.filter((w) => w.block > this.state.blockNumber);
    for (const w of ready) w.resolve();
  }
}
