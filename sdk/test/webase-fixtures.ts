// WeBASE-Front 3.x answers written from shared/reference/webase-front-api.md (each shape names its
// source there), and a fake `fetch` that serves them. Only for unit tests of sdk/src/webase.

/** The key WeBASE-Front holds: 0x4c0883a6…2318. */
export const ME = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";
export const ME_EIP55 = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
export const ME_PUBLIC_KEY =
  "4e3b81af9c2234cad09d679ce6035ed1392347ce64ce405f5dcd36228a25de6e47fd35c4215d1edf53e6f83de344615ce719bdb0fd878f6ed76f06dd277956de";
export const ME_PRIVATE_KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
/** aesEncrypt(ME_PRIVATE_KEY) with the default `constant.aesKey` and IV (WF/util/AesUtils.java). */
export const ME_PRIVATE_KEY_AES =
  "IhtHow6uSsCK7Nv82ijl6SnDNFLdNw0UacPuJJ8aT4/BZDTIbuCrrLSNu7mr0n5aMeFRdTPdWlmscEZx5mr4XopITqqcUHA5gyIKxNshKoc=";

export const CONTRACT = "0x9c2ef5a8b0e6a6cb31c1d56e7f2f2b0c4d3a1e58";
/** What the node puts in `logEntries[].address` and EventLog.address: bare, no 0x (§2.4, §2.6). */
export const CONTRACT_BARE = CONTRACT.slice(2);

const hex32 = (byte: string) => `0x${byte.repeat(32)}`;
export const TX1 = hex32("a1");
export const TX2 = hex32("a2");
export const TX3 = hex32("a3");
export const RECEIPT1_HASH = hex32("e1");
export const BLOCK6_HASH = hex32("b6");
export const BLOCK7_HASH = hex32("b7");
export const GENESIS_HASH = hex32("b0");
export const UNKNOWN_HASH = hex32("99");

export const VALUE_SET_ABI = [
  {
    type: "event",
    name: "ValueSet",
    anonymous: false,
    inputs: [
      { name: "who", type: "address", indexed: true },
      { name: "value", type: "uint256", indexed: false },
      { name: "note", type: "string", indexed: false },
    ],
  },
  {
    type: "function",
    name: "get",
    stateMutability: "view",
    inputs: [{ name: "k", type: "uint256" }],
    outputs: [
      { name: "", type: "uint256" },
      { name: "", type: "bool" },
      { name: "", type: "address" },
    ],
  },
  {
    type: "function",
    name: "set",
    stateMutability: "nonpayable",
    inputs: [{ name: "v", type: "uint256" }],
    outputs: [],
  },
  { type: "error", name: "Unlucky", inputs: [{ name: "v", type: "uint256" }] },
] as const;

/** ValueSet(ME, 42, "hello") as the EVM logs it. */
export const VALUE_SET_TOPICS = [
  "0xeef527b15b2eff0659cef4d2d9aad848e75b29bba78f761057ea7264412366ec",
  `0x000000000000000000000000${ME.slice(2)}`,
];
export const VALUE_SET_DATA =
  "0x000000000000000000000000000000000000000000000000000000000000002a0000000000000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000568656c6c6f000000000000000000000000000000000000000000000000000000";

/** java-sdk JsonTransactionResponse (3.7 keys) as WeBASE-Front writes it (§2.5). */
export function transactionJson(
  hash: string,
  input = "0x4ed3885e000000000000000000000000000000000000000000000000000000000000002a",
) {
  return {
    version: 0,
    hash,
    nonce: "176253014895862114309254817306468452350411786476497035813318212064548935184",
    blockLimit: 506,
    to: CONTRACT,
    from: ME,
    abi: "",
    input,
    chainID: "chain0",
    groupID: "group0",
    extraData: "",
    signature:
      "0x5c3ee4cfe3e4cdb9e40a7e1bd1a1a5d8e7dbb4e4d0d3e0c6f4c1b6c1b0d0e1f2172a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7001",
    importTime: 1730448000100,
    transactionProof: null,
    txProof: null,
    value: "",
    gasPrice: "",
    gasLimit: 0,
    maxFeePerGas: "",
    maxPriorityFeePerGas: "",
    extension: null,
  };
}

/** BcosBlock.Block (§2.5): parentInfo, no parentHash; `transactions` full objects unless hashes were asked for. */
export function blockJson(opts: {
  number: number;
  hash: string;
  parent: { number: number; hash: string } | null;
  txs: string[];
  hashesOnly: boolean;
}) {
  return {
    number: opts.number,
    version: 50724864,
    hash: opts.hash,
    logsBloom: null,
    txsRoot: hex32("c1"),
    receiptsRoot: hex32("c2"),
    stateRoot: hex32("c3"),
    sealer: 0,
    sealerList: [ME_PUBLIC_KEY],
    extraData: "0x",
    gasUsed: String(25349 * opts.txs.length),
    timestamp: 1730448000000 + opts.number * 1000 + 123,
    parentInfo: opts.parent ? [{ blockNumber: opts.parent.number, blockHash: opts.parent.hash }] : [],
    signatureList: [{ sealerIndex: 0, signature: `0x${"5a".repeat(65)}` }],
    consensusWeights: [1],
    transactions: opts.hashesOnly ? opts.txs : opts.txs.map((h) => transactionJson(h)),
  };
}

/** java-sdk TransactionReceipt (§2.4): log address bare, log blockNumber null. */
export function receiptJson(txHash: string, over: Record<string, unknown> = {}) {
  return {
    version: 0,
    contractAddress: "",
    checksumContractAddress: "",
    gasUsed: "25349",
    status: 0,
    blockNumber: 7,
    output: "0x",
    transactionHash: txHash,
    hash: txHash === TX1 ? RECEIPT1_HASH : `0x${"e0".repeat(31)}${txHash.slice(-2)}`,
    logEntries: [
      { address: CONTRACT_BARE, topics: VALUE_SET_TOPICS, data: VALUE_SET_DATA, blockNumber: null },
    ],
    input: "0x4ed3885e000000000000000000000000000000000000000000000000000000000000002a",
    from: ME,
    to: CONTRACT,
    transactionProof: null,
    receiptProof: null,
    txProof: null,
    txReceiptProof: null,
    extraData: "",
    message: "Success",
    statusOK: true,
    effectiveGasPrice: "",
    ...over,
  };
}

/** A 2.x web3j-style receipt (§1): what a 3.x client must refuse. */
export const RECEIPT_2X = {
  transactionHash: TX1,
  transactionIndex: "0x0",
  blockHash: BLOCK7_HASH,
  blockNumber: "7",
  gasUsed: "25349",
  contractAddress: "0x0000000000000000000000000000000000000000",
  root: null,
  status: "0x0",
  from: ME,
  to: CONTRACT,
  input: "0x",
  output: "0x",
  logs: [{ address: CONTRACT, topics: VALUE_SET_TOPICS, data: VALUE_SET_DATA }],
  logsBloom: "0x00",
  statusMsg: "None",
  statusOK: true,
};

/** KeyStoreInfo (§2.1): privateKey AES-encrypted, no groupId. */
export const KEY_STORE_INFO = {
  address: ME,
  publicKey: ME_PUBLIC_KEY,
  privateKey: ME_PRIVATE_KEY_AES,
  userName: "hospital-1",
  type: 0,
  signUserId: null,
  appId: null,
};

/** DecodedEventLog page (§2.6): indexed params as the raw topic, log address bare. */
export function eventPage(blockNumber: number) {
  return {
    code: 0,
    message: "success",
    data: [
      {
        log: {
          logIndex: 0,
          transactionIndex: 0,
          transactionHash: TX1,
          blockNumber,
          address: CONTRACT_BARE,
          data: VALUE_SET_DATA,
          topics: VALUE_SET_TOPICS,
        },
        data: [VALUE_SET_TOPICS[1], "42", "hello"],
      },
    ],
    totalCount: 1,
  };
}

export const EVENT_RANGE_INVALID = {
  code: 201243,
  message: "Block range error, from/toBlock must greater than 0, toBlock must be greater than fromBlock",
  data: [],
  totalCount: 0,
};

/** FrontException → 422 {code, errorMessage, data} (WF/base/exception/ExceptionsHandler.java). */
const front = (code: number, errorMessage: string) => ({ code, errorMessage, data: null });
export const BLOCK_BEYOND_HEAD = front(201012, "request blockNumber is greater than latest");
export const RECEIPT_NOT_FOUND = front(201510, "transaction receipt of this hash not exist");
export const BLOCK_NOT_FOUND = front(201511, "block of this hash not exist");
export const NAME_TAKEN = front(201038, "user name already exists");
export const KEY_NOT_HELD = front(201015, "user's privateKey is null");
export const DEPLOY_REVERTED = front(201014, "Revert instruction");
export const EVENT_TIMEOUT = front(201311, "get event callback fail for time out");
export const ENCODE_FAILED = front(
  201151,
  " cannot encode in encodeMethodFromString with appropriate interface ABI, make sure params match",
);

/** The uncaught ClientException of `web3/transaction/{unknown}` (§2.5; ledger GetStorageError). */
export const TRANSACTION_NOT_FOUND_500 = {
  errorMessage:
    "callRemoteMethod failed for decode the message exception, error message:ErrorMessage: GetBatchTxsByHashList error",
  code: 500,
};
/** An unset system config key (Ledger::checkEntryValid). */
export const CONFIG_UNSET_500 = {
  errorMessage:
    "callRemoteMethod failed for decode the message exception, error message:ErrorMessage: Entry: feature_evm_timestamp does not exists!",
  code: 500,
};
/** ErrorCodeHandleUtils.NODE_NOT_ACTIVE: the node is down. */
export const NODE_DOWN_500 = {
  errorMessage: "no active connection available with node, please check node status",
  code: -1,
};
/** ServletRequestBindingException → 400 without data. */
export const MISSING_GROUP_400 = {
  errorMessage: "Required request parameter 'groupId' for method parameter type String is not present",
  code: 400,
};
/** Spring Boot 2.7 BasicErrorController for a route WeBASE-Front does not have (§0). */
export function springNotFound(path: string) {
  return { timestamp: "2024-11-01T08:00:00.000+00:00", status: 404, error: "Not Found", path };
}

// ---- the fake ---------------------------------------------------------------------------------------

export const BASE = "http://webase.test:5002/WeBASE-Front";

export interface SeenRequest {
  method: string;
  /** Path below /WeBASE-Front. */
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** What a route answers: an HTTP answer, a dropped connection, or silence (until the client aborts). */
type Answer = { status: number; json: unknown } | { status: number; text: string } | "drop" | "hang";
export type FakeAnswer = Answer | Promise<Answer>;

type Route = (req: SeenRequest, hit: number) => FakeAnswer | undefined;

export const ok = (json: unknown): Answer => ({ status: 200, json });
export const text = (t: string): Answer => ({ status: 200, text: t });
export const fail = (status: number, json: unknown): Answer => ({ status, json });

/** A fake WeBASE-Front behind `fetch`: routes by "METHOD /path"; any other route is Spring's 404. */
export class FakeWebase {
  readonly seen: SeenRequest[] = [];
  readonly #routes = new Map<string, Route>();
  readonly #hits = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;

  on(route: string, answer: Route | FakeAnswer): this {
    this.#routes.set(route, typeof answer === "function" ? answer : () => answer);
    return this;
  }

  hits(route: string): number {
    return this.#hits.get(route) ?? 0;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const path = url.pathname.replace(/^\/WeBASE-Front/, "");
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : null;
    const req = { method: init?.method ?? "GET", path, query: Object.fromEntries(url.searchParams), body };
    this.seen.push(req);
    const key = `${req.method} ${path}`;
    const hit = (this.#hits.get(key) ?? 0) + 1;
    this.#hits.set(key, hit);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const answer = await (this.#routes.get(key)?.(req, hit) ?? fail(404, springNotFound(url.pathname)));
      return await respond(answer, init?.signal ?? undefined);
    } finally {
      this.inFlight--;
    }
  };
}

async function respond(answer: FakeAnswer, signal: AbortSignal | undefined): Promise<Response> {
  const a = await answer;
  if (a === "drop") throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
  if (a === "hang") {
    return new Promise((_, reject) => {
      signal?.addEventListener("abort", () => reject(signal.reason));
    });
  }
  if ("json" in a) {
    return new Response(JSON.stringify(a.json), {
      status: a.status,
      headers: { "content-type": "application/json" },
    });
  }
  return new Response(a.text, { status: a.status, headers: { "content-type": "text/plain;charset=UTF-8" } });
}
