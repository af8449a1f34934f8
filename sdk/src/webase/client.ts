import { Interface, type EventFragment } from "ethers";
import { CallRevertError, WebaseError, WebaseNetworkError } from "./errors.ts";
import type {
  CallRequest,
  ChainBlock,
  ChainClient,
  ChainTransaction,
  DeployRequest,
  EventLogItem,
  EventLogsRequest,
  KeyStoreInfo,
  LogEntry,
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

/** Prefix of a reverted view call's single result string. */
export const CALL_ERROR_PREFIX = "Call contract return error:";

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

type Json = unknown;
type Method = "GET" | "POST";

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Retry once on a network error (idempotent GETs only). */
  retry?: boolean;
}

/** `"0x1f"`, `"31"`, `31` → 31. */
export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") {
    const s = v.trim();
    if (/^0x[0-9a-fA-F]+$/i.test(s)) return parseInt(s, 16);
    if (/^-?\d+$/.test(s)) return Number(s);
  }
  throw new TypeError(`not a number: ${JSON.stringify(v)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Normalizes a receipt to the 3.x shape (also tolerates the 2.x `logs` / `"0x0"` forms). */
export function normalizeReceipt(raw: unknown): TransactionReceipt {
  if (!isObject(raw)) throw new TypeError("receipt is not an object");
  const status = raw.status === undefined || raw.status === null ? 0 : toNumber(raw.status);
  const statusOK = typeof raw.statusOK === "boolean" ? raw.statusOK : status === 0;
  const txHash = typeof raw.transactionHash === "string" ? raw.transactionHash : "";
  const rawLogs = Array.isArray(raw.logEntries) ? raw.logEntries : Array.isArray(raw.logs) ? raw.logs : [];
  const logEntries: LogEntry[] = rawLogs.map((l: unknown, i: number) => {
    const o = isObject(l) ? l : {};
    return {
      ...o,
      address: String(o.address ?? ""),
      topics: Array.isArray(o.topics) ? o.topics.map(String) : [],
      data: typeof o.data === "string" ? o.data : "0x",
      blockNumber: (o.blockNumber as number | string | null | undefined) ?? null,
      logIndex: i,
      transactionHash: txHash,
    };
  });
  return {
    ...raw,
    gasUsed: raw.gasUsed === undefined || raw.gasUsed === null ? "0" : String(raw.gasUsed),
    status,
    statusOK,
    blockNumber: raw.blockNumber === undefined || raw.blockNumber === null ? 0 : toNumber(raw.blockNumber),
    output: typeof raw.output === "string" ? raw.output : "0x",
    transactionHash: txHash,
    logEntries,
    message: (raw.message as string | null | undefined) ?? null,
  } as TransactionReceipt;
}

function normalizeBlock(raw: unknown): ChainBlock | null {
  if (!isObject(raw)) return null;
  return {
    ...raw,
    number: toNumber(raw.number ?? 0),
    hash: String(raw.hash ?? ""),
    timestamp: raw.timestamp === undefined || raw.timestamp === null ? 0 : toNumber(raw.timestamp),
    transactions: Array.isArray(raw.transactions)
      ? (raw.transactions as Array<ChainTransaction | string>)
      : [],
  };
}

/** Turns `SetName` into `SetName(uint256,string)` using the ABI (signatures pass through). */
function eventSignature(abi: readonly unknown[], eventName: string): string {
  if (eventName.includes("(")) return eventName;
  const ev: EventFragment | null = new Interface(abi as never[]).getEvent(eventName);
  if (!ev) throw new Error(`event ${eventName} is not in the ABI`);
  return ev.format("sighash");
}

/**
 * WeBASE-Front 3.x REST client (the subset in shared/reference/webase-front-api.md).
 * Uses the global `fetch`; runs in Node 20 and in the browser.
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

  // ---- blocks and receipts ---------------------------------------------------------------------

  async blockNumber(): Promise<number> {
    return toNumber(await this.#request("GET", this.#web3("blockNumber"), { retry: true }));
  }

  async blockByNumber(n: number | bigint): Promise<ChainBlock | null> {
    return normalizeBlock(await this.#request("GET", this.#web3(`blockByNumber/${n}`), { retry: true }));
  }

  async blockByHash(hash: string): Promise<ChainBlock | null> {
    return normalizeBlock(await this.#request("GET", this.#web3(`blockByHash/${hash}`), { retry: true }));
  }

  async transaction(hash: string): Promise<ChainTransaction | null> {
    const r = await this.#request("GET", this.#web3(`transaction/${hash}`), { retry: true });
    return isObject(r) ? (r as ChainTransaction) : null;
  }

  async transactionReceipt(hash: string): Promise<TransactionReceipt | null> {
    const r = await this.#request("GET", this.#web3(`transactionReceipt/${hash}`), { retry: true });
    return isObject(r) ? normalizeReceipt(r) : null;
  }

  async receiptsByBlock(n: number | bigint): Promise<TransactionReceipt[]> {
    const r = await this.#request("GET", this.#web3(`transReceipt/batchByNumber/${n}`), { retry: true });
    // A plain list, or java-sdk's {blockInfo, transactionReceipts}.
    const list = Array.isArray(r)
      ? r
      : isObject(r) && Array.isArray(r.transactionReceipts)
        ? r.transactionReceipts
        : [];
    return list.map(normalizeReceipt);
  }

  // ---- keys held by WeBASE-Front ---------------------------------------------------------------

  async createKey(userName: string): Promise<KeyStoreInfo> {
    const r = await this.#request("GET", "/privateKey", {
      query: { type: 0, userName, groupId: this.groupId },
    });
    return r as KeyStoreInfo;
  }

  async importKey(privateKey: string, userName: string): Promise<KeyStoreInfo> {
    const r = await this.#request("GET", "/privateKey/import", {
      query: { privateKey, userName, groupId: this.groupId },
    });
    return r as KeyStoreInfo;
  }

  async listKeys(): Promise<KeyStoreInfo[]> {
    const r = await this.#request("GET", "/privateKey/localKeyStores", {
      query: { groupId: this.groupId },
      retry: true,
    });
    const list = Array.isArray(r) ? r : isObject(r) && Array.isArray(r.data) ? r.data : [];
    return list as KeyStoreInfo[];
  }

  // ---- contracts ---------------------------------------------------------------------------------

  async deploy(req: DeployRequest): Promise<string> {
    const r = await this.#request("POST", "/contract/deploy", {
      body: {
        groupId: this.groupId,
        user: req.user,
        contractName: req.contractName,
        abiInfo: req.abi,
        bytecodeBin: req.bytecode.replace(/^0x/i, ""),
        funcParam: req.params ?? [],
      },
    });
    // Bare text `0x…`, possibly JSON-quoted (already unquoted by the JSON parse) or with stray quotes.
    const address = (typeof r === "string" ? r : String(r ?? "")).trim().replace(/^"+|"+$/g, "");
    if (!ADDRESS_RE.test(address)) {
      throw new WebaseError({
        httpStatus: 200,
        code: -1,
        errorMessage: `deploy returned no address: ${address}`,
        data: r,
      });
    }
    return address.toLowerCase();
  }

  async call(req: CallRequest): Promise<string[]> {
    const r = await this.#request("POST", "/trans/handle", { body: this.#transBody(req, req.user ?? "") });
    if (!Array.isArray(r)) {
      throw new WebaseError({
        httpStatus: 200,
        code: -1,
        errorMessage: `${req.funcName} is not a view function (WeBASE returned a receipt, not a call result)`,
        data: r,
      });
    }
    const out = r.map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
    const first = out[0];
    if (out.length === 1 && first !== undefined && first.startsWith(CALL_ERROR_PREFIX)) {
      throw new CallRevertError(first.slice(CALL_ERROR_PREFIX.length).trim());
    }
    return out;
  }

  async send(req: SendRequest): Promise<TransactionReceipt> {
    const r = await this.#request("POST", "/trans/handle", { body: this.#transBody(req, req.user) });
    if (!isObject(r)) {
      if (Array.isArray(r) && typeof r[0] === "string" && r[0].startsWith(CALL_ERROR_PREFIX)) {
        throw new CallRevertError(r[0].slice(CALL_ERROR_PREFIX.length).trim());
      }
      throw new WebaseError({
        httpStatus: 200,
        code: -1,
        errorMessage: `${req.funcName}: expected a transaction receipt (is it a view function?)`,
        data: r,
      });
    }
    return normalizeReceipt(r);
  }

  async eventLogs(req: EventLogsRequest): Promise<EventLogItem[]> {
    const topics: Record<string, unknown> = { eventName: eventSignature(req.abi, req.eventName) };
    if (req.indexed1) topics.indexed1 = req.indexed1;
    if (req.indexed2) topics.indexed2 = req.indexed2;
    if (req.indexed3) topics.indexed3 = req.indexed3;
    const r = await this.#request("POST", "/event/eventLogs/list", {
      body: {
        groupId: this.groupId,
        contractAddress: req.contractAddress,
        contractAbi: req.abi,
        fromBlock: req.fromBlock,
        toBlock: req.toBlock,
        topics,
      },
    });
    const list = Array.isArray(r) ? r : isObject(r) && Array.isArray(r.data) ? r.data : [];
    return list as EventLogItem[];
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  #web3(route: string): string {
    return `/${encodeURIComponent(this.groupId)}/web3/${route}`;
  }

  #transBody(req: CallRequest, user: string): Record<string, unknown> {
    return {
      groupId: this.groupId,
      user,
      contractName: req.contractName ?? "",
      contractAddress: req.address,
      funcName: req.funcName,
      contractAbi: req.abi,
      funcParam: req.params ?? [],
      useCns: false,
    };
  }

  async #request(method: Method, path: string, opts: RequestOptions = {}): Promise<Json> {
    let url = this.baseUrl + path;
    if (opts.query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) qs.set(k, String(v));
      url += `?${qs.toString()}`;
    }
    const attempts = opts.retry && method === "GET" ? 2 : 1;
    let lastError: unknown;
    for (let i = 0; i < attempts; i++) {
      let res: Response;
      const ctrl = new AbortController();
      const timer = setTimeout(
        () => ctrl.abort(new Error(`timed out after ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      try {
        try {
          res = await this.#fetch(url, {
            method,
            headers:
              opts.body === undefined
                ? { accept: "application/json" }
                : { "content-type": "application/json", accept: "application/json" },
            body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            signal: ctrl.signal,
          });
        } catch (err) {
          lastError = err;
          continue; // network error: retry if allowed
        }
        const text = await res.text();
        const body = parseBody(text);
        if (!res.ok) throw errorFromBody(res.status, body, text);
        // A BaseResponse-wrapped failure with HTTP 200.
        if (
          isObject(body) &&
          typeof body.code === "number" &&
          body.code !== 0 &&
          ("errorMessage" in body || "message" in body) &&
          !("statusOK" in body)
        ) {
          throw errorFromBody(res.status, body, text);
        }
        return body;
      } finally {
        clearTimeout(timer);
      }
    }
    throw new WebaseNetworkError(`${method} ${url}`, lastError);
  }
}

function parseBody(text: string): Json {
  const t = text.trim();
  if (t === "") return null;
  try {
    return JSON.parse(t) as Json;
  } catch {
    return t;
  }
}

function errorFromBody(httpStatus: number, body: Json, text: string): WebaseError {
  if (isObject(body)) {
    const msg = body.errorMessage ?? body.message ?? body.error ?? text;
    const code =
      typeof body.code === "number"
        ? body.code
        : typeof body.code === "string" && /^\d+$/.test(body.code)
          ? Number(body.code)
          : httpStatus;
    return new WebaseError({ httpStatus, code, errorMessage: String(msg), data: body.data ?? null });
  }
  return new WebaseError({
    httpStatus,
    code: httpStatus,
    errorMessage: text || `HTTP ${httpStatus}`,
    data: null,
  });
}
