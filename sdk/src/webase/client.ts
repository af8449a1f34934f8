import { Interface, type EventFragment } from "ethers";
import { CallRevertError, WebaseError, WebaseNetworkError } from "./errors.ts";
import {
  Shape,
  readBlock,
  readEventLogItem,
  readKeyStoreInfo,
  readReceipt,
  readTransaction,
} from "./shape.ts";
import type {
  BlockOptions,
  CallRequest,
  ChainBlock,
  ChainClient,
  ChainTransaction,
  DeployRequest,
  EventLogItem,
  EventLogsRequest,
  JsonAbi,
  KeyStoreInfo,
  SendRequest,
  TransactionReceipt,
} from "./types.ts";

export interface WebaseFrontClientOptions {
  /** e.g. `http://127.0.0.1:5002/WeBASE-Front` (no trailing slash needed). */
  baseUrl: string;
  /** FISCO BCOS 3.x group, default "group0". */
  groupId?: string;
  /** Custom fetch (tests, instrumentation); defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Per-request timeout, default 30 000 ms. */
  timeoutMs?: number;
}

/** Prefix of a reverted view call's single result string (WF/transaction/TransService.java handleCall). */
export const CALL_ERROR_PREFIX = "Call contract return error: ";

/** The WeBASE-Front codes the client acts on (WF/base/code/ConstantCode.java). */
export const WebaseCode = {
  /** "request blockNumber is greater than latest" (422). */
  BLOCK_BEYOND_HEAD: 201012,
  /** "Block range error, ..." (HTTP 200 page response of /event/eventLogs/list). */
  BLOCK_RANGE_INVALID: 201243,
  /** "transaction receipt of this hash not exist" (422). */
  RECEIPT_NOT_FOUND: 201510,
  /** "block of this hash not exist" (422). */
  BLOCK_NOT_FOUND: 201511,
} as const;

/**
 * The most blocks one `/event/eventLogs/list` request covers. WeBASE-Front scans the whole range
 * through an event subscription that must finish within `constant.eventCallbackWait` (4 s) or it
 * answers 201311, so long ranges are asked for in pieces.
 */
export const EVENT_LOG_CHUNK_BLOCKS = 1000;

/** How many receipts `receiptsOfBlock` asks for at once. */
const RECEIPT_CONCURRENCY = 8;

/**
 * How a node JSON-RPC error reaches us: java-sdk wraps it (SDK/client/ClientImpl.java
 * `parseResponseIntoJsonRpcResponse`: "ErrorMessage: " + message, then `callRemoteMethod`), and
 * WeBASE-Front's catch-all handler answers HTTP 500 `{code: 500, errorMessage}`
 * (WF/base/exception/ExceptionsHandler.java, no code found by ErrorCodeHandleUtils).
 */
const NODE_ERROR_PREFIX =
  "callRemoteMethod failed for decode the message exception, error message:ErrorMessage: ";

/**
 * The 500 of `web3/transaction/{h}` for a hash the ledger does not have: the node's
 * `asyncGetBatchTxsByHashList` wraps the "Batch get transaction failed, transactions size not match"
 * error as GetStorageError "GetBatchTxsByHashList error" and the RPC sends only that outer message
 * (FB/bcos-ledger/bcos-ledger/Ledger.cpp asyncGetBatchTxsByHashList, FB/bcos-rpc/.../JsonRpcInterface.cpp).
 * The node words a storage failure of that lookup the same way: WeBASE-Front offers nothing finer.
 */
export const TRANSACTION_NOT_FOUND_MESSAGE = `${NODE_ERROR_PREFIX}GetBatchTxsByHashList error`;

/**
 * The 500 of `web3/systemConfigByKey/{key}` for a key the chain never wrote (only enabled features
 * are stored): Ledger::checkEntryValid's "Entry: <key> does not exists!" (FB/bcos-ledger/bcos-ledger/Ledger.cpp).
 */
export function unsetSystemConfigMessage(key: string): string {
  return `${NODE_ERROR_PREFIX}Entry: ${key} does not exists!`;
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
/** `/contract/deploy` answers the receipt's contractAddress as text (§2.2). */
const DEPLOYED_ADDRESS_RE = /^0x[0-9a-f]{40}$/;

type Method = "GET" | "POST";

interface Exchange {
  method: Method;
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Retry once after a network error: only for requests that change nothing on the chain. */
  retry?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hashParam(hash: string): string {
  if (!HASH_RE.test(hash)) throw new TypeError(`not a 32-byte 0x-hex hash: ${hash}`);
  return hash.toLowerCase();
}

function blockNumberParam(n: number | bigint): string {
  const v = typeof n === "bigint" ? Number(n) : n;
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`not a block number: ${String(n)}`);
  return String(v);
}

/** An eventLogs bound: a block number, or -1 for the head (as WeBASE-Front takes it). */
function checkRangeBound(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < -1)
    throw new RangeError(`eventLogs: ${name} ${v} is not a block number or -1`);
}

/** A 4xx/5xx answer as WebaseError, from whichever of WeBASE-Front's or Spring's error bodies it is. */
function errorFromAnswer(httpStatus: number, text: string): WebaseError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported with the text below
  }
  if (isObject(body) && "errorMessage" in body && (typeof body.code === "number" || !("code" in body))) {
    // 422 {code, errorMessage, data}; 400/500 {code, errorMessage} (errorMessage may be null). A
    // FrontException built from a message alone has no code (ExceptionsHandler skips a null RetCode).
    const code = typeof body.code === "number" ? body.code : httpStatus;
    const errorMessage = typeof body.errorMessage === "string" ? body.errorMessage : "";
    return new WebaseError({ httpStatus, code, errorMessage, data: body.data ?? null });
  }
  if (
    isObject(body) &&
    typeof body.status === "number" &&
    typeof body.error === "string" &&
    typeof body.path === "string"
  ) {
    // Spring's BasicErrorController for a route WeBASE-Front does not have.
    return new WebaseError({
      httpStatus,
      code: body.status,
      errorMessage: `${body.error}: WeBASE-Front has no route ${body.path}`,
    });
  }
  return new WebaseError({
    httpStatus,
    code: httpStatus,
    errorMessage: `HTTP ${httpStatus} without a WeBASE-Front error body: ${text.slice(0, 200)}`,
  });
}

function isError(e: unknown, httpStatus: number, code: number): e is WebaseError {
  return e instanceof WebaseError && e.httpStatus === httpStatus && e.code === code;
}

/** The 500 of a node error whose message is exactly `message`. */
function isNodeError(e: unknown, message: string): boolean {
  return isError(e, 500, 500) && e.errorMessage === message;
}

/** Resolves to null when `p` fails with the 422 business error `code`. */
async function nullOn422<T>(p: Promise<T>, code: number): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (isError(e, 422, code)) return null;
    throw e;
  }
}

/**
 * Whether WeBASE-Front runs `funcName` as a call: it looks at the first ABI function of that name and
 * takes view, pure and constant as calls (WF/transaction/TransService.java getABIDefinition).
 */
function isViewFunction(abi: JsonAbi, funcName: string): boolean {
  const f = abi.find((x) => isObject(x) && (x.type ?? "function") === "function" && x.name === funcName);
  if (!isObject(f)) throw new TypeError(`${funcName} is not a function of the ABI`);
  return f.constant === true || ["view", "pure", "constant"].includes(String(f.stateMutability));
}

/** Turns `SetName` into `SetName(uint256,string)` using the ABI (signatures pass through). */
function eventSignature(abi: JsonAbi, eventName: string): string {
  if (eventName.includes("(")) return eventName;
  const ev: EventFragment | null = new Interface(abi as never[]).getEvent(eventName);
  if (!ev) throw new Error(`event ${eventName} is not in the ABI`);
  return ev.format("sighash");
}

/** A view call's single `"Call contract return error: <reason>"` string, or null for a result. */
function revertReason(result: readonly string[]): string | null {
  const [first] = result;
  return result.length === 1 && first !== undefined && first.startsWith(CALL_ERROR_PREFIX)
    ? first.slice(CALL_ERROR_PREFIX.length)
    : null;
}

/** `fn` over `items` with at most `limit` at once; results in the order of `items`. */
async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * WeBASE-Front 3.x REST client, exact to shared/reference/webase-front-api.md: it reads the 3.x
 * shapes only and fails with {@link UnexpectedResponseError} on anything else. Runs in Node 20 and in
 * the browser.
 *
 * Retries: after a network error (no HTTP answer), requests that change nothing are sent once more
 * (GETs of the chain, view calls, event log queries); keys, deploys and transactions never are.
 */
export class WebaseFrontClient implements ChainClient {
  readonly baseUrl: string;
  readonly groupId: string;
  readonly timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(opts: WebaseFrontClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.groupId = opts.groupId ?? "group0";
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const f = opts.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new Error("no fetch available: pass opts.fetch");
    this.#fetch = f;
  }

  // ---- blocks, transactions and receipts -----------------------------------------------------------

  async blockNumber(): Promise<number> {
    const s = await this.#json({ method: "GET", path: this.#web3("blockNumber"), retry: true });
    const n = s.body;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return s.fail("not a block number");
    return n;
  }

  /** Null when `n` is beyond the head (422 201012). */
  async blockByNumber(n: number | bigint, opts: BlockOptions = {}): Promise<ChainBlock | null> {
    return nullOn422(this.#blockByNumber(n, opts.hashesOnly === true), WebaseCode.BLOCK_BEYOND_HEAD);
  }

  /** Null when no block has that hash (422 201511). */
  async blockByHash(hash: string, opts: BlockOptions = {}): Promise<ChainBlock | null> {
    const hashesOnly = opts.hashesOnly === true;
    const read = async () => {
      const s = await this.#json(this.#blockRequest(`blockByHash/${hashParam(hash)}`, hashesOnly));
      return readBlock(s, s.body, hashesOnly);
    };
    return nullOn422(read(), WebaseCode.BLOCK_NOT_FOUND);
  }

  /** Null only for the node's "not found" 500 ({@link TRANSACTION_NOT_FOUND_MESSAGE}); other 500s are thrown. */
  async transaction(hash: string): Promise<ChainTransaction | null> {
    try {
      const s = await this.#json({
        method: "GET",
        path: this.#web3(`transaction/${hashParam(hash)}`),
        retry: true,
      });
      return readTransaction(s, s.body);
    } catch (e) {
      if (isNodeError(e, TRANSACTION_NOT_FOUND_MESSAGE)) return null;
      throw e;
    }
  }

  /** Null when no receipt has that hash (422 201510). */
  async transactionReceipt(hash: string): Promise<TransactionReceipt | null> {
    const read = async () => {
      const path = this.#web3(`transactionReceipt/${hashParam(hash)}`);
      const s = await this.#json({ method: "GET", path, retry: true });
      return readReceipt(s, s.body);
    };
    return nullOn422(read(), WebaseCode.RECEIPT_NOT_FOUND);
  }

  /**
   * The receipts of block `n` in the block's transaction order. 3.x has no batch route, so this reads
   * the block's hashes and then each receipt. Throws the 201012 WebaseError when `n` is beyond the head.
   */
  async receiptsOfBlock(n: number | bigint): Promise<TransactionReceipt[]> {
    const block = await this.#blockByNumber(n, true);
    return mapInOrder(block.transactions as string[], RECEIPT_CONCURRENCY, async (hash) => {
      const receipt = await this.transactionReceipt(hash);
      if (!receipt) throw new Error(`block ${block.number} lists transaction ${hash}, which has no receipt`);
      return receipt;
    });
  }

  // ---- chain configuration ---------------------------------------------------------------------------

  /** The value (text/plain), or null for a key the chain never set (e.g. a feature that is off). */
  async systemConfig(key: string): Promise<string | null> {
    const path = this.#web3(`systemConfigByKey/${encodeURIComponent(key)}`);
    try {
      return await this.#answer({ method: "GET", path, retry: true });
    } catch (e) {
      if (isNodeError(e, unsetSystemConfigMessage(key))) return null;
      throw e;
    }
  }

  /** `web3/encrypt`: 0 = ECDSA, 1 = SM (java-sdk CryptoType). */
  async cryptoType(): Promise<"ecdsa" | "sm"> {
    const s = await this.#json({ method: "GET", path: this.#web3("encrypt"), retry: true });
    if (s.body === 0) return "ecdsa";
    if (s.body === 1) return "sm";
    return s.fail("encrypt is neither 0 (ECDSA) nor 1 (SM)");
  }

  // ---- keys held by WeBASE-Front ---------------------------------------------------------------------

  /** A new local key (type 0). Its `privateKey` comes back AES-encrypted: never use it. */
  async createKey(userName: string): Promise<KeyStoreInfo> {
    const query = { type: 0, userName, groupId: this.groupId };
    const s = await this.#json({ method: "GET", path: "/privateKey", query });
    return readKeyStoreInfo(s, s.body);
  }

  /** Imports a raw key. The answer's `privateKey` is AES-encrypted: never use it. */
  async importKey(privateKey: string, userName: string): Promise<KeyStoreInfo> {
    const query = { privateKey, userName, groupId: this.groupId };
    const s = await this.#json({ method: "GET", path: "/privateKey/import", query });
    return readKeyStoreInfo(s, s.body);
  }

  // ---- contracts -------------------------------------------------------------------------------------

  async deploy(req: DeployRequest): Promise<string> {
    const body = {
      groupId: this.groupId,
      user: req.user.toLowerCase(),
      contractName: req.contractName,
      abiInfo: req.abi,
      bytecodeBin: req.bytecode.replace(/^0x/i, ""),
      funcParam: req.params ?? [],
      isWasm: false,
    };
    const address = await this.#answer({ method: "POST", path: "/contract/deploy", body });
    if (!DEPLOYED_ADDRESS_RE.test(address))
      new Shape("POST /contract/deploy", address).fail("not a contract address");
    return address;
  }

  /** A view/pure function (by the ABI); retried once after a network error. */
  async call(req: CallRequest): Promise<string[]> {
    if (!isViewFunction(req.abi, req.funcName)) {
      throw new TypeError(`${req.funcName} is not view/pure: WeBASE-Front would send it as a transaction`);
    }
    const body = this.#transBody(req, req.user ?? "");
    const s = await this.#json({ method: "POST", path: "/trans/handle", body, retry: true });
    const result = s.strings(s.body, "call result");
    const reason = revertReason(result);
    if (reason !== null) throw new CallRevertError(reason);
    return result;
  }

  /** A transaction (never retried); the receipt comes back even when it reverted (`statusOK` false). */
  async send(req: SendRequest): Promise<TransactionReceipt> {
    if (isViewFunction(req.abi, req.funcName)) {
      throw new TypeError(`${req.funcName} is view/pure: WeBASE-Front would only call it`);
    }
    const body = this.#transBody(req, req.user);
    const s = await this.#json({ method: "POST", path: "/trans/handle", body });
    return readReceipt(s, s.body);
  }

  /**
   * Event logs of one contract. The range is clamped to the chain (from ≥ 1, to ≤ head, -1 = head) and
   * asked for in pieces of {@link EVENT_LOG_CHUNK_BLOCKS} blocks, one after another.
   */
  async eventLogs(req: EventLogsRequest): Promise<EventLogItem[]> {
    const range = await this.#eventRange(req.fromBlock, req.toBlock);
    if (!range) return [];
    const query = this.#eventQuery(req);
    const out: EventLogItem[] = [];
    for (let from = range.from; from <= range.to; from += EVENT_LOG_CHUNK_BLOCKS) {
      const to = Math.min(range.to, from + EVENT_LOG_CHUNK_BLOCKS - 1);
      out.push(...(await this.#eventLogPiece({ ...query, fromBlock: from, toBlock: to })));
    }
    return out;
  }

  // ---- route helpers ---------------------------------------------------------------------------------

  #web3(route: string): string {
    return `/${encodeURIComponent(this.groupId)}/web3/${route}`;
  }

  /** WeBASE passes `fullTrans` to java-sdk's `onlyTxHash`: `true` means hashes only (§2.5). */
  #blockRequest(route: string, hashesOnly: boolean): Exchange {
    const query = hashesOnly ? { fullTrans: "true" } : undefined;
    return { method: "GET", path: this.#web3(route), query, retry: true };
  }

  async #blockByNumber(n: number | bigint, hashesOnly: boolean): Promise<ChainBlock> {
    const s = await this.#json(this.#blockRequest(`blockByNumber/${blockNumberParam(n)}`, hashesOnly));
    return readBlock(s, s.body, hashesOnly);
  }

  /** WeBASE-Front looks keys up by the exact lower-case address, so `user` goes lower-case. */
  #transBody(req: CallRequest, user: string): Record<string, unknown> {
    return {
      groupId: this.groupId,
      user: user.toLowerCase(),
      contractName: req.contractName ?? "",
      contractAddress: req.address.toLowerCase(),
      funcName: req.funcName,
      contractAbi: req.abi,
      funcParam: req.params ?? [],
      useCns: false,
      isWasm: false,
    };
  }

  async #eventRange(fromBlock: number, toBlock: number): Promise<{ from: number; to: number } | null> {
    checkRangeBound("fromBlock", fromBlock);
    checkRangeBound("toBlock", toBlock);
    const head = await this.blockNumber();
    const to = toBlock === -1 || toBlock > head ? head : toBlock;
    const from = Math.max(1, fromBlock === -1 ? head : fromBlock);
    return from <= to ? { from, to } : null;
  }

  /** The request body without the range. The node compares the address as sent: lower-case it (§2.6). */
  #eventQuery(req: EventLogsRequest): Record<string, unknown> {
    const topics: Record<string, unknown> = { eventName: eventSignature(req.abi, req.eventName) };
    if (req.indexed1) topics.indexed1 = req.indexed1;
    if (req.indexed2) topics.indexed2 = req.indexed2;
    if (req.indexed3) topics.indexed3 = req.indexed3;
    return {
      groupId: this.groupId,
      contractAddress: req.contractAddress.toLowerCase(),
      contractAbi: req.abi,
      topics,
    };
  }

  /** One BasePageResponse `{code, message, data, totalCount}`; 201243 (empty range) is no logs. */
  async #eventLogPiece(body: Record<string, unknown>): Promise<EventLogItem[]> {
    const s = await this.#json({ method: "POST", path: "/event/eventLogs/list", body, retry: true });
    const page = s.object(s.body, "page response");
    const code = s.integer(page, "code", "page response");
    if (code === WebaseCode.BLOCK_RANGE_INVALID) return [];
    if (code !== 0) {
      const errorMessage = typeof page.message === "string" ? page.message : "";
      throw new WebaseError({ httpStatus: 200, code, errorMessage, data: page.data ?? null });
    }
    return s.array(page.data, "page response.data").map((item, i) => readEventLogItem(s, item, i));
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  /** The parsed JSON body of a 2xx answer, wrapped for shape checks. */
  async #json(x: Exchange): Promise<Shape> {
    const text = await this.#answer(x);
    const route = `${x.method} ${x.path}`;
    try {
      return new Shape(route, JSON.parse(text) as unknown);
    } catch {
      return new Shape(route, text).fail("the body is not JSON");
    }
  }

  /**
   * The body text of a 2xx answer. A 4xx/5xx answer is thrown as WebaseError; no answer at all as
   * WebaseNetworkError, after one more try when `x.retry`.
   */
  async #answer(x: Exchange): Promise<string> {
    const url = this.#url(x);
    const attempts = x.retry ? 2 : 1;
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      let answer: { status: number; ok: boolean; text: string };
      try {
        answer = await this.#fetchOnce(url, x);
      } catch (e) {
        lastError = e;
        continue;
      }
      if (!answer.ok) throw errorFromAnswer(answer.status, answer.text);
      return answer.text;
    }
    throw new WebaseNetworkError(`${x.method} ${url}`, lastError);
  }

  #url(x: Exchange): string {
    if (!x.query) return this.baseUrl + x.path;
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(x.query)) qs.set(k, String(v));
    return `${this.baseUrl}${x.path}?${qs.toString()}`;
  }

  /** One request, body read included, within the timeout. */
  async #fetchOnce(url: string, x: Exchange): Promise<{ status: number; ok: boolean; text: string }> {
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => ctrl.abort(new Error(`timed out after ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    try {
      // Not text/html: Spring would answer its error page instead of the JSON error body.
      const accept = "application/json, text/plain";
      const res = await this.#fetch(url, {
        method: x.method,
        headers: x.body === undefined ? { accept } : { accept, "content-type": "application/json" },
        body: x.body === undefined ? undefined : JSON.stringify(x.body),
        signal: ctrl.signal,
      });
      return { status: res.status, ok: res.ok, text: await res.text() };
    } finally {
      clearTimeout(timer);
    }
  }
}
