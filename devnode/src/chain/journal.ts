// Append-only block journal: the devnode's only durable chain state.
//
// The EVM lives in memory; what makes it durable is this file. Line 1 is a header fixing everything
// that determines the genesis block (chain id, initial date, gas limit, EVM options). Each further line
// (format version 2) is one FISCO block: its number, its ms timestamp and its signed raw transactions
// in order, with what the requests said that the raw transaction does not (the `to` as given, the
// arrival time), plus the block hash and the last EVM block hash, which replay must reproduce.
// Version-1 journals (one transaction per line and block) still replay; Chain rewrites them as v2.
import { promises as fsp } from "node:fs";
import fs from "node:fs";
import path from "node:path";
import { Transaction } from "ethers";
import { writeFileAtomic } from "../fsutil.ts";
import type { Logger } from "../logger.ts";
import { JournalError, parseHeader, parseLine, parseV1Tx, parseV2Block } from "./journal-format.ts";

export { JournalError };

export const JOURNAL_FILE = "journal.ndjson";

export interface JournalHeader {
  kind: "genesis";
  version: 2;
  chainId: number;
  /** Genesis timestamp in ms (FISCO BCOS block time unit). */
  initialDateMs: number;
  hardfork: string;
  /** per-transaction gas limit (tx_gas_limit): 3,000,000,000 for new chains, 30,000,000 in v1 journals */
  gasLimit: number;
  allowUnlimitedContractSize: boolean;
  /** feature_evm_timestamp: EVM block.timestamp in seconds; fixed at genesis */
  evmTimestampSeconds: boolean;
}

export interface JournalTx {
  /** signed raw Ethereum transaction, 0x-hex */
  raw: string;
  /** the contractAddress of the request as given ("" for a deployment): FISCO keeps `to` unchanged */
  to: string;
  /** ms when the request reached the devnode (FISCO's importTime) */
  importTime: number;
}

export interface JournalBlock {
  kind: "block";
  n: number;
  ts: number;
  txs: JournalTx[];
  /** FISCO block hash and the hash of its last EVM block, checked on replay */
  hash: string;
  evmHash: string;
}

/** A block to replay, with what to check it against: a v2 line, or a v1 line (one tx per block). */
export type ReplayBlock = Omit<JournalBlock, "kind" | "hash" | "evmHash"> & {
  check: { hash: string; evmHash: string } | { txHash: string; evmHash: string };
};

export interface OpenedJournal {
  journal: Journal;
  header: JournalHeader;
  blocks: ReplayBlock[];
  /** the file's format version; 1 means it must be rewritten (migrate) once replayed */
  fileVersion: 1 | 2;
}

export class Journal {
  private constructor(
    readonly file: string,
    private fh: fsp.FileHandle,
  ) {}

  /**
   * Open (or create) the journal in `dataDir`. `newHeader` is used only when there is no journal yet.
   * A torn last line — the tail of a write interrupted by a crash, recognisable by its missing newline —
   * was never acknowledged to a client, so it is dropped with a warning and cut off the file. Any other
   * unreadable line means the file is damaged and start-up stops.
   */
  static async open(dataDir: string, newHeader: () => JournalHeader, logger: Logger): Promise<OpenedJournal> {
    const file = path.join(dataDir, JOURNAL_FILE);
    let text = "";
    try {
      text = await fsp.readFile(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }

    const lastNewline = text.lastIndexOf("\n");
    const complete = lastNewline < 0 ? "" : text.slice(0, lastNewline);
    const torn = text.slice(lastNewline + 1);
    if (torn.length > 0) {
      logger.warn(
        `${file}: ignoring a torn last line (${torn.length} bytes without a newline, left by an interrupted write)`,
      );
      // Cut it off so the next append starts on a fresh line.
      await fsp.truncate(file, lastNewline + 1);
    }

    const lines = complete.length > 0 ? complete.split("\n") : [];
    let header: JournalHeader;
    let fileVersion: 1 | 2 = 2;
    const blocks: ReplayBlock[] = [];
    if (lines.length === 0) {
      header = newHeader();
      // Created atomically so a crash never leaves a journal without its header.
      await writeFileAtomic(file, JSON.stringify(header) + "\n");
    } else {
      ({ header, fileVersion } = parseHeader(parseLine(lines[0] ?? "", file, 1), file));
      let prevTs = header.initialDateMs;
      for (let i = 1; i < lines.length; i++) {
        const v = parseLine(lines[i] ?? "", file, i + 1);
        const b =
          fileVersion === 1
            ? parseV1Tx(v, file, i + 1, blocks.length + 1, (raw) => toOf(raw))
            : parseV2Block(v, file, i + 1, blocks.length + 1);
        if (b.ts <= prevTs) {
          throw new JournalError(`${file} line ${i + 1}: timestamp is not after the previous block's.`);
        }
        prevTs = b.ts;
        blocks.push(b);
      }
    }

    const fh = await fsp.open(file, "a");
    return { journal: new Journal(file, fh), header, blocks, fileVersion };
  }

  /** Append one sealed block and fsync before returning: callers answer the clients afterwards. */
  async append(block: JournalBlock): Promise<void> {
    await this.fh.write(JSON.stringify(block) + "\n");
    await this.fh.sync();
  }

  /**
   * Replace a v1 journal by its v2 form (after a successful replay): the old file is kept next to it
   * as journal.ndjson.v1.bak, the new one written atomically, and appends go to the new file.
   */
  async rewrite(header: JournalHeader, blocks: JournalBlock[]): Promise<void> {
    await fsp.copyFile(this.file, `${this.file}.v1.bak`);
    const text = [header, ...blocks].map((l) => JSON.stringify(l) + "\n").join("");
    await this.fh.close();
    await writeFileAtomic(this.file, text);
    this.fh = await fsp.open(this.file, "a");
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** The `to` a v1 transaction was sent to (the old devnode lower-cased it), "" for a deployment. */
function toOf(raw: string): string {
  const to = Transaction.from(raw).to;
  return to ? to.toLowerCase() : "";
}

/** Used by tests and tools: does a data dir already hold a chain? */
export function journalExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, JOURNAL_FILE));
}
