/**
 * Shapes of the WeBASE-Front 3.x REST subset (see shared/reference/webase-front-api.md §0, §2)
 * and the `ChainClient` interface every part of 医元疗 uses to reach the chain.
 */

/** A JSON ABI (array of fragments as produced by solc). */
export type JsonAbi = readonly unknown[];

/** One log of a 3.x receipt (`logEntries[i]`). */
export interface LogEntry {
  address: string;
  topics: string[];
  data: string;
  blockNumber?: number | string | null;
  /** Not part of WeBASE's shape; filled by the client with the position in the receipt. */
  logIndex?: number;
  transactionHash?: string;
}

/** A 3.x transaction receipt as returned by `/trans/handle` and `web3/transactionReceipt/{h}`. */
export interface TransactionReceipt {
  version?: number;
  contractAddress?: string | null;
  checksumContractAddress?: string | null;
  gasUsed: string;
  /** 0 = OK. */
  status: number;
  blockNumber: number;
  /** Return data or, on revert, the raw revert data (custom error selector + arguments). */
  output: string;
  transactionHash: string;
  /** Receipt hash. */
  hash?: string;
  logEntries: LogEntry[];
  input?: string;
  from?: string;
  to?: string;
  message?: string | null;
  statusOK: boolean;
  [extra: string]: unknown;
}

/** A 3.x transaction (`web3/transaction/{h}` or entries of a block). */
export interface ChainTransaction {
  hash: string;
  from?: string;
  to?: string;
  input?: string;
  nonce?: string;
  blockLimit?: number | string;
  chainID?: string;
  groupID?: string;
  blockNumber?: number | string;
  [extra: string]: unknown;
}

/** A block (`web3/blockByNumber/{n}`, `web3/blockByHash/{h}`). */
export interface ChainBlock {
  number: number;
  hash: string;
  parentHash?: string;
  /** ms since the epoch (FISCO BCOS uses milliseconds). */
  timestamp: number;
  /** Full transactions or bare hashes, depending on the server. */
  transactions: Array<ChainTransaction | string>;
  [extra: string]: unknown;
}

/** A key held by WeBASE-Front (`/privateKey...`). */
export interface KeyStoreInfo {
  address: string;
  publicKey?: string;
  privateKey?: string;
  userName: string;
  type?: number;
  groupId?: string;
  signUserId?: string | null;
  appId?: string | null;
  [extra: string]: unknown;
}

export interface DeployRequest {
  /** Address of a key held by WeBASE-Front. */
  user: string;
  contractName: string;
  abi: JsonAbi;
  /** Creation bytecode (with or without 0x). */
  bytecode: string;
  /** Constructor arguments as WeBASE `funcParam` strings. */
  params?: string[];
}

export interface CallRequest {
  user?: string;
  address: string;
  abi: JsonAbi;
  funcName: string;
  params?: string[];
  contractName?: string;
}

export interface SendRequest extends CallRequest {
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
  fromBlock: number;
  toBlock: number;
  /** Event signature `Name(type,...)`, or a bare event name resolved against `abi`. */
  eventName: string;
  indexed1?: IndexedFilter;
  indexed2?: IndexedFilter;
  indexed3?: IndexedFilter;
}

/** One item of `/event/eventLogs/list` `data`. */
export interface EventLogItem {
  log: {
    logIndex?: number | string;
    transactionIndex?: number | string;
    transactionHash?: string;
    blockHash?: string;
    blockNumber?: number | string;
    address: string;
    data: string;
    topics: string[];
    [extra: string]: unknown;
  };
  /** Decoded non-indexed values as strings (WeBASE's decoding). */
  data: unknown[];
}

/** The only path from the other parts to the chain. */
export interface ChainClient {
  readonly groupId: string;
  blockNumber(): Promise<number>;
  blockByNumber(n: number | bigint): Promise<ChainBlock | null>;
  blockByHash(hash: string): Promise<ChainBlock | null>;
  transaction(hash: string): Promise<ChainTransaction | null>;
  transactionReceipt(hash: string): Promise<TransactionReceipt | null>;
  receiptsByBlock(n: number | bigint): Promise<TransactionReceipt[]>;
  createKey(userName: string): Promise<KeyStoreInfo>;
  importKey(privateKey: string, userName: string): Promise<KeyStoreInfo>;
  listKeys(): Promise<KeyStoreInfo[]>;
  /** Deploys; resolves to the new contract's address (lower-case). */
  deploy(req: DeployRequest): Promise<string>;
  /** A view call; resolves to WeBASE's decoded result strings. */
  call(req: CallRequest): Promise<string[]>;
  /** A transaction; resolves to the receipt (check `statusOK`). Never retried. */
  send(req: SendRequest): Promise<TransactionReceipt>;
  eventLogs(req: EventLogsRequest): Promise<EventLogItem[]>;
}
