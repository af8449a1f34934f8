// Append-only transaction journal: the devnode's only durable chain state.
//
// The EVM lives in memory; what makes it durable is this file. Line 1 is a header fixing everything
// that determines the genesis block (chain id, initial date, gas limit), and each further line is one
// accepted transaction: the signed raw transaction and the block timestamp it was mined with. Replaying
// the lines into a fresh EVM built from the header reproduces the same blocks, hashes and state, which
// the recorded `hash`/`block` fields let start-up verify.
import { promises as fsp } from "node:fs";
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "./fsutil.ts";
import type { Logger } from "./logger.ts";

export const JOURNAL_FILE = "journal.ndjson";

export interface JournalHeader {
  kind: "genesis";
  version: 1;
  chainId: number;
  /** Genesis timestamp in ms (FISCO BCOS block time unit). */
  initialDateMs: number;
  hardfork: string;
  blockGasLimit: number;
}

export interface JournalTx {
  kind: "tx";
  /** block number the transaction was mined in (one transaction per block) */
  n: number;
  /** block timestamp in ms */
  ts: number;
  /** signed raw Ethereum transaction, 0x-hex */
  raw: string;
  /** transaction hash and block hash observed when it was first mined: checked on replay */
  hash: string;
  block: string;
  /** ABI given with a deployment, kept so revert reasons of custom errors can be named after a restart */
  abi?: unknown[];
}

export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalError";
  }
}

export interface OpenedJournal {
  journal: Journal;
  header: JournalHeader;
  entries: JournalTx[];
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
    const entries: JournalTx[] = [];
    if (lines.length === 0) {
      header = newHeader();
      // Created atomically so a crash never leaves a journal without its header.
      await writeFileAtomic(file, JSON.stringify(header) + "\n");
    } else {
      header = parseHeader(lines[0] ?? "", file);
      for (let i = 1; i < lines.length; i++) {
        entries.push(parseTx(lines[i] ?? "", file, i + 1, header, entries.length));
      }
    }

    const fh = await fsp.open(file, "a");
    return { journal: new Journal(file, fh), header, entries };
  }

  /** Append one accepted transaction and fsync before returning: callers answer the client afterwards. */
  async append(entry: JournalTx): Promise<void> {
    await this.fh.write(JSON.stringify(entry) + "\n");
    await this.fh.sync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

function parseLine(line: string, file: string, lineNo: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new JournalError(
      `${file} line ${lineNo} is not valid JSON (${(e as Error).message}); the journal is damaged. ` +
        `Fix or remove the file (removing it resets the chain).`,
    );
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new JournalError(`${file} line ${lineNo} is not a JSON object; the journal is damaged.`);
  }
  return v as Record<string, unknown>;
}

function parseHeader(line: string, file: string): JournalHeader {
  const v = parseLine(line, file, 1);
  if (
    v.kind !== "genesis" ||
    v.version !== 1 ||
    !Number.isSafeInteger(v.chainId) ||
    !Number.isSafeInteger(v.initialDateMs) ||
    typeof v.hardfork !== "string" ||
    !Number.isSafeInteger(v.blockGasLimit)
  ) {
    throw new JournalError(`${file} line 1 is not a devnode journal header (kind "genesis", version 1).`);
  }
  return v as unknown as JournalHeader;
}

const HEX = /^0x[0-9a-f]*$/;
const HASH = /^0x[0-9a-f]{64}$/;

function parseTx(
  line: string,
  file: string,
  lineNo: number,
  header: JournalHeader,
  index: number,
): JournalTx {
  const v = parseLine(line, file, lineNo);
  const ok =
    v.kind === "tx" &&
    Number.isSafeInteger(v.n) &&
    Number.isSafeInteger(v.ts) &&
    typeof v.raw === "string" &&
    HEX.test(v.raw) &&
    typeof v.hash === "string" &&
    HASH.test(v.hash) &&
    typeof v.block === "string" &&
    HASH.test(v.block) &&
    (v.abi === undefined || Array.isArray(v.abi));
  if (!ok)
    throw new JournalError(
      `${file} line ${lineNo} is not a valid transaction entry; the journal is damaged.`,
    );
  if (v.n !== index + 1) {
    throw new JournalError(`${file} line ${lineNo}: expected block ${index + 1}, found ${String(v.n)}.`);
  }
  if ((v.ts as number) <= header.initialDateMs) {
    throw new JournalError(`${file} line ${lineNo}: timestamp is not after the genesis timestamp.`);
  }
  return v as unknown as JournalTx;
}

/** Used by tests and tools: does a data dir already hold a chain? */
export function journalExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, JOURNAL_FILE));
}
