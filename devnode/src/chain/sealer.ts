// The sealer: transactions wait in a pool and are sealed into blocks of many, as FISCO BCOS's PBFT
// sealer does (FB bcos-sealer: a block is proposed when transactions are pending, never empty, with at
// most tx_count_limit of them). A block is sealed once `intervalMs` has passed since the oldest
// pending transaction arrived, and takes every pending transaction up to the limit. Interval 0 is
// instant mode: each transaction is sealed at once in a block of its own.
//
// Blocks are sealed one at a time; every request is answered after its block is journaled.
import { TX_COUNT_LIMIT } from "./system-config.ts";
import type { Chain, SendRequest } from "./chain.ts";

interface Pending {
  req: SendRequest;
  resolve(hash: string): void;
  reject(e: unknown): void;
}

export class Sealer {
  private readonly pool: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sealing: Promise<void> | undefined;

  constructor(
    private readonly chain: Chain,
    private readonly intervalMs: number,
  ) {}

  get pendingCount(): number {
    return this.pool.length;
  }

  /** Queue a transaction; resolves with its hash once its block is sealed and journaled. */
  submit(req: Omit<SendRequest, "importTime">): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.pool.push({ req: { ...req, importTime: Date.now() }, resolve, reject });
      this.schedule();
    });
  }

  /** Arm the timer for the oldest pending transaction, unless a block is being sealed (it re-arms after). */
  private schedule(): void {
    if (this.timer || this.sealing || this.pool.length === 0) return;
    const due = this.pool[0]!.req.importTime + this.intervalMs;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.sealing = this.sealNext().finally(() => {
          this.sealing = undefined;
          this.schedule();
        });
      },
      Math.max(0, due - Date.now()),
    );
  }

  private async sealNext(): Promise<void> {
    const take = this.intervalMs === 0 ? 1 : TX_COUNT_LIMIT;
    const batch = this.pool.splice(0, take);
    if (batch.length === 0) return;
    try {
      const results = await this.chain.seal(batch.map((p) => p.req));
      results.forEach((r, i) => {
        const p = batch[i]!;
        if ("hash" in r) p.resolve(r.hash);
        else p.reject(new SendRefused(r.refused));
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  /** Seal whatever is pending now and wait for it (used when the devnode stops). */
  async flush(): Promise<void> {
    while (this.pool.length > 0 || this.sealing || this.timer) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.sealing = this.sealNext().finally(() => (this.sealing = undefined));
      }
      await this.sealing;
      if (this.pool.length > 0 && !this.sealing) this.schedule();
    }
  }
}

/** The EVM refused a transaction before mining it (FISCO's txpool would refuse it too). */
export class SendRefused extends Error {}
