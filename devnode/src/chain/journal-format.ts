// Reading journal lines: the header (v1 or v2), v2 block lines and v1 transaction lines. Anything
// that does not fit stops start-up with the file and line named — a damaged journal is never guessed at.
import type { JournalHeader, ReplayBlock } from "./journal.ts";

export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalError";
  }
}

const HEX = /^0x[0-9a-f]*$/;
const HASH = /^0x[0-9a-f]{64}$/;
const int = (v: unknown): v is number => Number.isSafeInteger(v);

export function parseLine(line: string, file: string, lineNo: number): Record<string, unknown> {
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

/** A v1 header is read as the v2 header it stands for: its gas limit, no unlimited code size, ms timestamps. */
export function parseHeader(
  v: Record<string, unknown>,
  file: string,
): { header: JournalHeader; fileVersion: 1 | 2 } {
  const common =
    v.kind === "genesis" && int(v.chainId) && int(v.initialDateMs) && typeof v.hardfork === "string";
  if (common && v.version === 1 && int(v.blockGasLimit)) {
    return {
      fileVersion: 1,
      header: {
        kind: "genesis",
        version: 2,
        chainId: v.chainId as number,
        initialDateMs: v.initialDateMs as number,
        hardfork: v.hardfork as string,
        gasLimit: v.blockGasLimit as number,
        allowUnlimitedContractSize: false,
        evmTimestampSeconds: false,
      },
    };
  }
  if (
    common &&
    v.version === 2 &&
    int(v.gasLimit) &&
    typeof v.allowUnlimitedContractSize === "boolean" &&
    typeof v.evmTimestampSeconds === "boolean"
  ) {
    return { fileVersion: 2, header: v as unknown as JournalHeader };
  }
  throw new JournalError(`${file} line 1 is not a devnode journal header (kind "genesis", version 1 or 2).`);
}

function expectNumber(v: Record<string, unknown>, file: string, lineNo: number, n: number): void {
  if (v.n !== n) throw new JournalError(`${file} line ${lineNo}: expected block ${n}, found ${String(v.n)}.`);
}

export function parseV2Block(
  v: Record<string, unknown>,
  file: string,
  lineNo: number,
  n: number,
): ReplayBlock {
  const txsOk =
    Array.isArray(v.txs) &&
    v.txs.length > 0 &&
    v.txs.every((t: unknown) => {
      const x = t as Record<string, unknown> | null;
      return (
        typeof x === "object" &&
        x !== null &&
        typeof x.raw === "string" &&
        HEX.test(x.raw) &&
        typeof x.to === "string" &&
        int(x.importTime)
      );
    });
  const ok =
    v.kind === "block" &&
    int(v.n) &&
    int(v.ts) &&
    txsOk &&
    typeof v.hash === "string" &&
    HASH.test(v.hash) &&
    typeof v.evmHash === "string" &&
    HASH.test(v.evmHash);
  if (!ok)
    throw new JournalError(`${file} line ${lineNo} is not a valid block entry; the journal is damaged.`);
  expectNumber(v, file, lineNo, n);
  const txs = (v.txs as Record<string, unknown>[]).map((t) => ({
    raw: t.raw as string,
    to: t.to as string,
    importTime: t.importTime as number,
  }));
  return {
    n,
    ts: v.ts as number,
    txs,
    check: { hash: v.hash as string, evmHash: v.evmHash as string },
  };
}

/** A v1 line — one transaction mined in a block of its own — as a one-transaction block. */
export function parseV1Tx(
  v: Record<string, unknown>,
  file: string,
  lineNo: number,
  n: number,
  toOf: (raw: string) => string,
): ReplayBlock {
  const ok =
    v.kind === "tx" &&
    int(v.n) &&
    int(v.ts) &&
    typeof v.raw === "string" &&
    HEX.test(v.raw) &&
    typeof v.hash === "string" &&
    HASH.test(v.hash) &&
    typeof v.block === "string" &&
    HASH.test(v.block);
  if (!ok)
    throw new JournalError(
      `${file} line ${lineNo} is not a valid transaction entry; the journal is damaged.`,
    );
  expectNumber(v, file, lineNo, n);
  let to: string;
  try {
    to = toOf(v.raw as string);
  } catch {
    throw new JournalError(`${file} line ${lineNo}: the raw transaction does not decode.`);
  }
  return {
    n,
    ts: v.ts as number,
    txs: [{ raw: v.raw as string, to, importTime: v.ts as number }],
    check: { txHash: v.hash as string, evmHash: v.block as string },
  };
}
