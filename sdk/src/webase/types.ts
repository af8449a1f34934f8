/**
 * Shapes of the WeBASE-Front 3.x REST subset (see shared/reference/webase-front-api.md §0, §2)
 * and the `ChainClient` interface every part of 医元疗 uses to reach the chain.
 *
 * Everything the client returns is normalised: addresses are `"0x"` + 40 lower-case hex, hashes are
 * lower-case, numbers are numbers.
 */

/** A JSON ABI (array of fragments as produced by solc). */
export type JsonAbi = readonly unknown[];

/** One log of a receipt (`logEntries[i]`). */
export interface LogEntry {
  /** The emitting contract, `"0x"` + 40 lower-case hex (the node sends it bare, without `0x`). */
  address: string;
  topics: string[];
  data: string;
  /** The receipt's block: the node always sends null here, the client fills in the receipt's number. */
  blockNumber?: number | null;
  /** Position in the receipt (not sent by WeBASE-Front; filled by the client). */
  logIndex?: number;
  /** The receipt's transaction (not sent per log by WeBASE-Front; filled by the client). */
  transactionHash?: string;
}

/**
 * A 3.x transaction receipt (java-sdk TransactionReceipt as written by WeBASE-Front), from
 * `/trans/handle` and `web3/transactionReceipt/{h}`.
 */
export interface TransactionReceipt {
  version: number;
  /** The new contract for a deploy, `""` otherwise. */
  contractAddress: string;
  /** Decimal string. */
  gasUsed: string;
  /** 0 = OK; 16 = revert. */
  status: number;
  statusOK: boolean;
  blockNumber: number;
  /** Return data or, on revert, the revert data (Error(string) or custom error selector + arguments). */
  output: string;
  transactionHash: string;
  /** Receipt hash. */
  hash: string;
  logEntries: LogEntry[];
  input: string;
  from: string;
  /** `""` for a deploy. */
  to: string;
  /**
   * Through `/trans/handle`: "Success", the Error(string) reason, or the status text (e.g. "Revert
   * instruction"). Through `web3/transactionReceipt`: the node's raw message.
   */
  message: string | null;
  [extra: string]: unknown;
}

/** A 3.x transaction (`web3/transaction/{h}` or entries of a block). It carries no block number. */
export interface ChainTransaction {
  hash: string;
  from: string;
  /** `""` for a deploy. */
  to: string;
  input: string;
  nonce: string;
  blockLimit: number;
  chainID: string;
  groupID: string;
  /** ms since the epoch. */
  importTime?: number;
  [extra: string]: unknown;
}

/** A block (`web3/blockByNumber/{n}`, `web3/blockByHash/{h}`). */
export interface ChainBlock {
  number: number;
  hash: string;
  /** `parentInfo[0].blockHash`; null for the genesis block. */
  parentHash: string | null;
  /** ms since the epoch (FISCO BCOS uses milliseconds). */
  timestamp: number;
  /** Full transactions, or their hashes when asked with `hashesOnly`. */
  transactions: Array<ChainTransaction | string>;
  [extra: string]: unknown;
}

export interface BlockOptions {
  /** Only the transactions' hashes (WeBASE-Front's inverted `fullTrans=true`). */
  hashesOnly?: boolean;
}

/**
 * A key held by WeBASE-Front (KeyStoreInfo from `/privateKey` and `/privateKey/import`).
 *
 * `privateKey` is whatever the server sent: WeBASE-Front 3.x sends it AES-encrypted with its own key
 * (Base64), not the raw key. Callers must never rely on it; the key stays in WeBASE-Front, which signs
 * with it when `user` is `address`.
 */
export interface KeyStoreInfo {
  /** `"0x"` + 40 lower-case hex: the `user` to sign with. */
  address: string;
  /** 128 lower-case hex, no `0x`, no `04`. */
  publicKey: string;
  /** Encrypted by WeBASE-Front: do not use. */
  privateKey: string;
  userName: string;
  type: number;
  signUserId: string | null;
  appId: string | null;
}

export interface DeployRequest {
  /** Address of a key held by WeBASE-Front (any case; sent lower-case). */
  user: string;
  contractName: string;
  abi: JsonAbi;
  /** Creation bytecode (with or without 0x). */
  bytecode: string;
  /** Constructor arguments as WeBASE `funcParam` strings. */
  params?: string[];
}

export interface CallRequest {
  /** Not looked up for a view call (WeBASE-Front signs nothing); sent lower-case. */
  user?: string;
  address: string;
  abi: JsonAbi;
  funcName: string;
  params?: string[];
  contractName?: string;
}

export interface SendRequest extends CallRequest {
  /** Address of a key held by WeBASE-Front (any case; sent lower-case, as WeBASE-Front stores it). */
  user: string;
}

/** An indexed-topic filter for `/event/eventLogs/list`. */
export interface IndexedFilter {
  type: string;
  value: string;
}

export interface EventLogsRequest {
  contractAddress: string;
  abi: JsonAbi;
  /** First block (clamped to ≥ 1; -1 = the head). */
  fromBlock: number;
  /** Last block (-1 or beyond the head = the head). */
  toBlock: number;
  /** Event signature `Name(type,...)`, or a bare event name resolved against `abi`. */
  eventName: string;
  indexed1?: IndexedFilter;
  indexed2?: IndexedFilter;
  indexed3?: IndexedFilter;
}

/** One item of `/event/eventLogs/list` `data` (WeBASE-Front's DecodedEventLog). */
export interface EventLogItem {
  /** java-sdk EventLog; there is no block hash. */
  log: {
    logIndex: number;
    transactionIndex: number;
    transactionHash: string;
    blockNumber: number;
    /** `"0x"` + 40 lower-case hex (the node sends it bare). */
    address: string;
    data: string;
    topics: string[];
  };
  /** The event's parameters in ABI order as strings: indexed ones are the raw topic, others decoded. */
  data: string[];
}

/** The only path from the other parts to the chain. */
export interface ChainClient {
  readonly groupId: string;
  blockNumber(): Promise<number>;
  /** Null when `n` is beyond the head. */
  blockByNumber(n: number | bigint, opts?: BlockOptions): Promise<ChainBlock | null>;
  /** Null when no block has that hash. */
  blockByHash(hash: string, opts?: BlockOptions): Promise<ChainBlock | null>;
  /** Null when no transaction has that hash. */
  transaction(hash: string): Promise<ChainTransaction | null>;
  /** Null when no receipt has that hash. */
  transactionReceipt(hash: string): Promise<TransactionReceipt | null>;
  /** The receipts of a block's transactions, in the block's order; throws if the block does not exist. */
  receiptsOfBlock(n: number | bigint): Promise<TransactionReceipt[]>;
  /** A system config value (e.g. `tx_gas_limit`), or null for a key the chain never set. */
  systemConfig(key: string): Promise<string | null>;
  /** The group's crypto: "ecdsa" (secp256k1/keccak256) or "sm" (SM2/SM3). */
  cryptoType(): Promise<"ecdsa" | "sm">;
  /** Creates a key WeBASE-Front holds (never retried: a second try would find the name taken). */
  createKey(userName: string): Promise<KeyStoreInfo>;
  importKey(privateKey: string, userName: string): Promise<KeyStoreInfo>;
  /** Deploys; resolves to the new contract's address (lower-case). Never retried. */
  deploy(req: DeployRequest): Promise<string>;
  /** A view/pure call; resolves to WeBASE's decoded result strings. */
  call(req: CallRequest): Promise<string[]>;
  /** A transaction; resolves to the receipt (check `statusOK`). Never retried. */
  send(req: SendRequest): Promise<TransactionReceipt>;
  eventLogs(req: EventLogsRequest): Promise<EventLogItem[]>;
}
