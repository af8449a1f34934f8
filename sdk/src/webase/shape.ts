// Readers of WeBASE-Front 3.x response bodies (shared/reference/webase-front-api.md §2). Each checks the
// exact 3.x shape and normalises it (addresses "0x" + lower-case, hashes lower-case); anything else is
// an UnexpectedResponseError naming the field, never a guess.
import { UnexpectedResponseError } from "./errors.ts";
import type {
  ChainBlock,
  ChainTransaction,
  EventLogItem,
  KeyStoreInfo,
  LogEntry,
  TransactionReceipt,
} from "./types.ts";

type Json = Record<string, unknown>;

/** Where a body came from, to name it when it is not what the route sends. */
export class Shape {
  constructor(
    readonly route: string,
    readonly body: unknown,
  ) {}

  fail(problem: string): never {
    throw new UnexpectedResponseError(this.route, problem, this.body);
  }

  object(v: unknown, what: string): Json {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(`${what} is not an object`);
    return v as Json;
  }

  array(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) this.fail(`${what} is not an array`);
    return v;
  }

  string(o: Json, key: string, what: string): string {
    const v = o[key];
    if (typeof v !== "string") this.fail(`${what}.${key} is not a string (${JSON.stringify(v)})`);
    return v;
  }

  stringOrNull(o: Json, key: string, what: string): string | null {
    return o[key] === null ? null : this.string(o, key, what);
  }

  integer(o: Json, key: string, what: string): number {
    const v = o[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v))
      this.fail(`${what}.${key} is not an integer (${JSON.stringify(v)})`);
    return v;
  }

  boolean(o: Json, key: string, what: string): boolean {
    const v = o[key];
    if (typeof v !== "boolean") this.fail(`${what}.${key} is not a boolean (${JSON.stringify(v)})`);
    return v;
  }

  strings(v: unknown, what: string): string[] {
    const list = this.array(v, what);
    list.forEach((s, i) => {
      if (typeof s !== "string") this.fail(`${what}[${i}] is not a string`);
    });
    return list as string[];
  }

  hash(o: Json, key: string, what: string): string {
    return this.hashValue(o[key], `${what}.${key}`);
  }

  hashValue(v: unknown, what: string): string {
    if (typeof v !== "string" || !HASH_RE.test(v))
      this.fail(`${what} is not a 32-byte 0x-hex hash (${JSON.stringify(v)})`);
    return v.toLowerCase();
  }
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const PREFIXED_ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
/** Log addresses come from the executor without `0x` (FB JsonRpcImpl_2_0.cpp:324, EventSubMatcher.cpp). */
const BARE_ADDRESS_RE = /^[0-9a-fA-F]{40}$/;

/** A `"0x"`-prefixed address, or `""` where the route sends it for "none" (deploy `to`, call `contractAddress`). */
function addressOrEmpty(s: Shape, o: Json, key: string, what: string): string {
  const v = s.string(o, key, what);
  if (v !== "" && !PREFIXED_ADDRESS_RE.test(v)) s.fail(`${what}.${key} is not an address (${v})`);
  return v.toLowerCase();
}

function bareLogAddress(s: Shape, o: Json, what: string): string {
  const v = s.string(o, "address", what);
  if (!BARE_ADDRESS_RE.test(v)) s.fail(`${what}.address is not 40 hex digits without 0x (${v})`);
  return `0x${v.toLowerCase()}`;
}

function logEntry(
  s: Shape,
  raw: unknown,
  i: number,
  receipt: { blockNumber: number; hash: string },
): LogEntry {
  const what = `logEntries[${i}]`;
  const o = s.object(raw, what);
  return {
    address: bareLogAddress(s, o, what),
    topics: s.strings(o.topics, `${what}.topics`).map((t) => t.toLowerCase()),
    data: s.string(o, "data", what),
    // The node never sends a log's block (always null): it is the receipt's.
    blockNumber: receipt.blockNumber,
    logIndex: i,
    transactionHash: receipt.hash,
  };
}

/** A java-sdk TransactionReceipt as WeBASE-Front writes it (§2.4). */
export function readReceipt(s: Shape, raw: unknown): TransactionReceipt {
  const o = s.object(raw, "receipt");
  const blockNumber = s.integer(o, "blockNumber", "receipt");
  const transactionHash = s.hash(o, "transactionHash", "receipt");
  const logs = s.array(o.logEntries, "receipt.logEntries");
  return {
    ...o,
    version: s.integer(o, "version", "receipt"),
    contractAddress: addressOrEmpty(s, o, "contractAddress", "receipt"),
    gasUsed: s.string(o, "gasUsed", "receipt"),
    status: s.integer(o, "status", "receipt"),
    statusOK: s.boolean(o, "statusOK", "receipt"),
    blockNumber,
    output: s.string(o, "output", "receipt"),
    transactionHash,
    hash: s.hash(o, "hash", "receipt"),
    logEntries: logs.map((l, i) => logEntry(s, l, i, { blockNumber, hash: transactionHash })),
    input: s.string(o, "input", "receipt"),
    from: addressOrEmpty(s, o, "from", "receipt"),
    to: addressOrEmpty(s, o, "to", "receipt"),
    message: s.stringOrNull(o, "message", "receipt"),
  };
}

/** A java-sdk JsonTransactionResponse (§2.5). */
export function readTransaction(s: Shape, raw: unknown, what = "transaction"): ChainTransaction {
  const o = s.object(raw, what);
  return {
    ...o,
    hash: s.hash(o, "hash", what),
    from: addressOrEmpty(s, o, "from", what),
    to: addressOrEmpty(s, o, "to", what),
    input: s.string(o, "input", what),
    nonce: s.string(o, "nonce", what),
    blockLimit: s.integer(o, "blockLimit", what),
    chainID: s.string(o, "chainID", what),
    groupID: s.string(o, "groupID", what),
  };
}

/** The parent of a 3.x block is `parentInfo[0]` (there is no `parentHash` key). */
function parentHashOf(s: Shape, o: Json, number: number): string | null {
  const parents = s.array(o.parentInfo, "block.parentInfo");
  const first = parents[0];
  if (first === undefined) {
    if (number !== 0) s.fail(`block ${number} has an empty parentInfo`);
    return null;
  }
  return s.hash(s.object(first, "block.parentInfo[0]"), "blockHash", "block.parentInfo[0]");
}

/**
 * A java-sdk BcosBlock.Block (§2.5). `hashesOnly` is what was asked for: WeBASE-Front's `fullTrans`
 * is inverted, so a server that answers the other form is not the one this client was written for.
 */
export function readBlock(s: Shape, raw: unknown, hashesOnly: boolean): ChainBlock {
  const o = s.object(raw, "block");
  const number = s.integer(o, "number", "block");
  const txs = s.array(o.transactions, "block.transactions");
  const transactions = txs.map((t, i) => {
    if (hashesOnly) {
      if (typeof t !== "string") s.fail(`block.transactions[${i}] is not a hash (asked with fullTrans=true)`);
      return s.hashValue(t, `block.transactions[${i}]`);
    }
    if (typeof t === "string")
      s.fail(`block.transactions[${i}] is a hash, not a transaction (asked without fullTrans)`);
    return readTransaction(s, t, `block.transactions[${i}]`);
  });
  return {
    ...o,
    number,
    hash: s.hash(o, "hash", "block"),
    parentHash: parentHashOf(s, o, number),
    timestamp: s.integer(o, "timestamp", "block"),
    transactions,
  };
}

/** KeyStoreInfo (§2.1): exactly these keys; `privateKey` is AES-encrypted by the server. */
export function readKeyStoreInfo(s: Shape, raw: unknown): KeyStoreInfo {
  const o = s.object(raw, "KeyStoreInfo");
  const address = s.string(o, "address", "KeyStoreInfo");
  // Keys are looked up by this exact spelling, so it must be the lower-case form we send back.
  if (!/^0x[0-9a-f]{40}$/.test(address))
    s.fail(`KeyStoreInfo.address is not 0x + 40 lower-case hex (${address})`);
  return {
    address,
    publicKey: s.string(o, "publicKey", "KeyStoreInfo"),
    privateKey: s.string(o, "privateKey", "KeyStoreInfo"),
    userName: s.string(o, "userName", "KeyStoreInfo"),
    type: s.integer(o, "type", "KeyStoreInfo"),
    signUserId: s.stringOrNull(o, "signUserId", "KeyStoreInfo"),
    appId: s.stringOrNull(o, "appId", "KeyStoreInfo"),
  };
}

/** One DecodedEventLog `{log: EventLog, data: [string]}` (§2.6). */
export function readEventLogItem(s: Shape, raw: unknown, i: number): EventLogItem {
  const what = `data[${i}]`;
  const o = s.object(raw, what);
  const log = s.object(o.log, `${what}.log`);
  const lw = `${what}.log`;
  return {
    log: {
      logIndex: s.integer(log, "logIndex", lw),
      transactionIndex: s.integer(log, "transactionIndex", lw),
      transactionHash: s.hash(log, "transactionHash", lw),
      blockNumber: s.integer(log, "blockNumber", lw),
      address: bareLogAddress(s, log, lw),
      data: s.string(log, "data", lw),
      topics: s.strings(log.topics, `${lw}.topics`).map((t) => t.toLowerCase()),
    },
    data: s.strings(o.data, `${what}.data`),
  };
}
