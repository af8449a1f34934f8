// WebaseFrontClient against recorded WeBASE-Front 3.x answers (test/webase-fixtures.ts, written from
// shared/reference/webase-front-api.md). The fake `fetch` stands in for the server in this unit test only.
import { describe, expect, it } from "vitest";
import {
  CallRevertError,
  ContractHandle,
  EVENT_LOG_CHUNK_BLOCKS,
  TRANSACTION_NOT_FOUND_MESSAGE,
  UnexpectedResponseError,
  WebaseError,
  WebaseFrontClient,
  WebaseNetworkError,
  unsetSystemConfigMessage,
} from "../src/index.ts";
import {
  BASE,
  BLOCK6_HASH,
  BLOCK7_HASH,
  BLOCK_BEYOND_HEAD,
  BLOCK_NOT_FOUND,
  CONFIG_UNSET_500,
  CONTRACT,
  DEPLOY_REVERTED,
  ENCODE_FAILED,
  EVENT_RANGE_INVALID,
  EVENT_TIMEOUT,
  FakeWebase,
  GENESIS_HASH,
  KEY_NOT_HELD,
  KEY_STORE_INFO,
  ME,
  ME_EIP55,
  ME_PRIVATE_KEY,
  ME_PRIVATE_KEY_AES,
  MISSING_GROUP_400,
  NAME_TAKEN,
  NODE_DOWN_500,
  RECEIPT_2X,
  RECEIPT_NOT_FOUND,
  TRANSACTION_NOT_FOUND_500,
  TX1,
  TX2,
  TX3,
  UNKNOWN_HASH,
  VALUE_SET_ABI,
  VALUE_SET_DATA,
  VALUE_SET_TOPICS,
  blockJson,
  eventPage,
  fail,
  ok,
  receiptJson,
  springNotFound,
  text,
  transactionJson,
  type FakeAnswer,
} from "./webase-fixtures.ts";

const ABI = VALUE_SET_ABI as unknown as unknown[];
const CONTRACT_EIP55 = "0x9c2EF5a8b0e6a6cB31c1D56E7f2f2b0C4d3a1E58";
const W3 = "/group0/web3";

const block7 = (hashesOnly: boolean, txs = [TX1]) =>
  blockJson({ number: 7, hash: BLOCK7_HASH, parent: { number: 6, hash: BLOCK6_HASH }, txs, hashesOnly });

function setup(timeoutMs?: number) {
  const fake = new FakeWebase();
  const client = new WebaseFrontClient({ baseUrl: BASE, fetch: fake.fetch, timeoutMs });
  return { fake, client };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("blocks", () => {
  it("reads a block: parent from parentInfo, full transactions by default (fullTrans not sent)", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByNumber/7`, ok(block7(false)));
    const b = await client.blockByNumber(7n);
    expect(fake.seen[0]?.query).toEqual({});
    expect(b).toMatchObject({
      number: 7,
      hash: BLOCK7_HASH,
      parentHash: BLOCK6_HASH,
      timestamp: 1730448007123,
    });
    expect(b?.transactions).toHaveLength(1);
    expect(b?.transactions[0]).toMatchObject({ hash: TX1, from: ME, to: CONTRACT, blockLimit: 506 });
    expect(b?.sealer).toBe(0); // other keys pass through
  });

  it("asks for hashes only with fullTrans=true (WeBASE-Front's inverted flag)", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByNumber/7`, ok(block7(true)));
    const b = await client.blockByNumber(7, { hashesOnly: true });
    expect(fake.seen[0]?.query).toEqual({ fullTrans: "true" });
    expect(b?.transactions).toEqual([TX1]);
  });

  it("refuses the form it did not ask for (a server that does not invert fullTrans)", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByNumber/7`, ok(block7(false)));
    const e = await caught(client.blockByNumber(7, { hashesOnly: true }));
    expect(e).toBeInstanceOf(UnexpectedResponseError);
    expect((e as Error).message).toMatch(/fullTrans=true/);
  });

  it("gives the genesis block a null parent and null beyond the head (422 201012)", async () => {
    const { fake, client } = setup();
    fake.on(
      `GET ${W3}/blockByNumber/0`,
      ok(blockJson({ number: 0, hash: GENESIS_HASH, parent: null, txs: [], hashesOnly: false })),
    );
    fake.on(`GET ${W3}/blockByNumber/13`, fail(422, BLOCK_BEYOND_HEAD));
    expect((await client.blockByNumber(0))?.parentHash).toBeNull();
    expect(await client.blockByNumber(13)).toBeNull();
  });

  it("refuses a 2.x block (parentHash, no parentInfo)", async () => {
    const { fake, client } = setup();
    const block2x: Record<string, unknown> = { ...block7(false), parentHash: BLOCK6_HASH };
    delete block2x.parentInfo;
    fake.on(`GET ${W3}/blockByNumber/7`, ok(block2x));
    await expect(client.blockByNumber(7)).rejects.toThrow(/block.parentInfo is not an array/);
  });

  it("reads a block by hash (lower-cased in the path), null for 201511", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByHash/${BLOCK7_HASH}`, ok(block7(true)));
    fake.on(`GET ${W3}/blockByHash/${UNKNOWN_HASH}`, fail(422, BLOCK_NOT_FOUND));
    const b = await client.blockByHash(BLOCK7_HASH.toUpperCase().replace("0X", "0x"), { hashesOnly: true });
    expect(b?.hash).toBe(BLOCK7_HASH);
    expect(fake.seen[0]?.query).toEqual({ fullTrans: "true" });
    expect(await client.blockByHash(UNKNOWN_HASH)).toBeNull();
  });

  it("reads the block number (a bare JSON number)", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, ok(12));
    expect(await client.blockNumber()).toBe(12);
    fake.on(`GET ${W3}/blockNumber`, ok({ code: 0, message: "success", data: 12 }));
    await expect(client.blockNumber()).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe("transactions and receipts", () => {
  it("reads a transaction; null only for the node's not-found 500", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/transaction/${TX1}`, ok(transactionJson(TX1)));
    fake.on(`GET ${W3}/transaction/${UNKNOWN_HASH}`, fail(500, TRANSACTION_NOT_FOUND_500));
    expect(await client.transaction(TX1)).toMatchObject({ hash: TX1, chainID: "chain0", groupID: "group0" });
    expect(await client.transaction(UNKNOWN_HASH)).toBeNull();
    expect(TRANSACTION_NOT_FOUND_MESSAGE).toBe(TRANSACTION_NOT_FOUND_500.errorMessage);
  });

  it("throws any other 500 of transaction() (node down, other node errors)", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/transaction/${TX1}`, fail(500, NODE_DOWN_500));
    const e = (await caught(client.transaction(TX1))) as WebaseError;
    expect(e).toBeInstanceOf(WebaseError);
    expect(e).toMatchObject({ httpStatus: 500, code: -1, data: null });
    const storage = `${TRANSACTION_NOT_FOUND_500.errorMessage}: disk`;
    fake.on(`GET ${W3}/transaction/${TX1}`, fail(500, { errorMessage: storage, code: 500 }));
    await expect(client.transaction(TX1)).rejects.toMatchObject({ httpStatus: 500, errorMessage: storage });
  });

  it("normalises a receipt: 0x + lower-case log address, the receipt's block, logIndex, transactionHash", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/transactionReceipt/${TX1}`, ok(receiptJson(TX1)));
    const r = await client.transactionReceipt(TX1);
    expect(r).toMatchObject({
      status: 0,
      statusOK: true,
      blockNumber: 7,
      gasUsed: "25349",
      from: ME,
      to: CONTRACT,
    });
    expect(r?.logEntries).toEqual([
      {
        address: CONTRACT,
        topics: VALUE_SET_TOPICS,
        data: VALUE_SET_DATA,
        blockNumber: 7,
        logIndex: 0,
        transactionHash: TX1,
      },
    ]);
  });

  it("lets ContractHandle.decodeLogs match the receipt's logs to the contract", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/transactionReceipt/${TX1}`, ok(receiptJson(TX1)));
    const handle = new ContractHandle(client, { address: CONTRACT_EIP55, abi: ABI, contractName: "Lucky" });
    const [ev] = handle.decodeLogs((await client.transactionReceipt(TX1))!);
    expect(ev).toMatchObject({ name: "ValueSet", address: CONTRACT, blockNumber: 7, transactionHash: TX1 });
    expect(ev?.args.value).toBe(42n);
    expect(ev?.args.note).toBe("hello");
  });

  it("returns null for an unknown receipt (422 201510) and refuses a 2.x receipt", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/transactionReceipt/${UNKNOWN_HASH}`, fail(422, RECEIPT_NOT_FOUND));
    fake.on(`GET ${W3}/transactionReceipt/${TX1}`, ok(RECEIPT_2X));
    expect(await client.transactionReceipt(UNKNOWN_HASH)).toBeNull();
    await expect(client.transactionReceipt(TX1)).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it("refuses a log address with 0x (the node sends it bare)", async () => {
    const { fake, client } = setup();
    const logEntries = [{ address: CONTRACT, topics: [], data: "0x", blockNumber: null }];
    fake.on(`GET ${W3}/transactionReceipt/${TX1}`, ok(receiptJson(TX1, { logEntries })));
    await expect(client.transactionReceipt(TX1)).rejects.toThrow(/without 0x/);
  });

  it("reads a block's receipts in the block's order, without a batch route", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByNumber/7`, ok(block7(true, [TX1, TX2, TX3])));
    // the first receipt answers last: the order must still be the block's
    const slow = (h: string, ms: number): FakeAnswer =>
      new Promise((r) => setTimeout(() => r(ok(receiptJson(h))), ms));
    fake.on(`GET ${W3}/transactionReceipt/${TX1}`, () => slow(TX1, 30));
    fake.on(`GET ${W3}/transactionReceipt/${TX2}`, () => slow(TX2, 10));
    fake.on(`GET ${W3}/transactionReceipt/${TX3}`, () => slow(TX3, 0));
    const list = await client.receiptsOfBlock(7);
    expect(list.map((r) => r.transactionHash)).toEqual([TX1, TX2, TX3]);
    expect(fake.seen[0]).toMatchObject({ path: `${W3}/blockByNumber/7`, query: { fullTrans: "true" } });
    expect(fake.seen.some((s) => s.path.includes("batchByNumber"))).toBe(false);
  });

  it("throws for the receipts of a block beyond the head", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockByNumber/13`, fail(422, BLOCK_BEYOND_HEAD));
    await expect(client.receiptsOfBlock(13)).rejects.toMatchObject({ httpStatus: 422, code: 201012 });
  });
});

describe("error bodies", () => {
  it("reads Spring's 404 for a route WeBASE-Front does not have", async () => {
    const { fake, client } = setup();
    const e = (await caught(client.cryptoType())) as WebaseError;
    expect(fake.seen[0]?.path).toBe(`${W3}/encrypt`);
    expect(e).toBeInstanceOf(WebaseError);
    expect(e).toMatchObject({ httpStatus: 404, code: 404, data: null });
    expect(e.errorMessage).toBe("Not Found: WeBASE-Front has no route /WeBASE-Front/group0/web3/encrypt");
    expect(springNotFound("/x")).toMatchObject({ status: 404 });
  });

  it("reads a 400 without data", async () => {
    const { fake, client } = setup();
    fake.on("GET /privateKey", fail(400, MISSING_GROUP_400));
    await expect(client.createKey("x")).rejects.toMatchObject({
      httpStatus: 400,
      code: 400,
      errorMessage: MISSING_GROUP_400.errorMessage,
      data: null,
    });
  });

  it("reads a 422 FrontException built from a message alone (no code)", async () => {
    const { fake, client } = setup();
    fake.on("GET /privateKey", fail(422, { data: null, errorMessage: "group not exist" }));
    await expect(client.createKey("x")).rejects.toMatchObject({
      httpStatus: 422,
      code: 422,
      errorMessage: "group not exist",
    });
  });

  it("reports an error answer that is not a WeBASE-Front body with its text", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, { status: 502, text: "Bad Gateway" });
    await expect(client.blockNumber()).rejects.toMatchObject({
      httpStatus: 502,
      code: 502,
      errorMessage: "HTTP 502 without a WeBASE-Front error body: Bad Gateway",
    });
  });
});

describe("chain configuration", () => {
  it("reads a system config as text, null for a key never set, throws other 500s", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/systemConfigByKey/tx_gas_limit`, text("3000000000"));
    fake.on(`GET ${W3}/systemConfigByKey/feature_evm_timestamp`, fail(500, CONFIG_UNSET_500));
    fake.on(`GET ${W3}/systemConfigByKey/feature_balance`, fail(500, CONFIG_UNSET_500));
    fake.on(`GET ${W3}/systemConfigByKey/tx_count_limit`, fail(500, NODE_DOWN_500));
    expect(await client.systemConfig("tx_gas_limit")).toBe("3000000000");
    expect(await client.systemConfig("feature_evm_timestamp")).toBeNull();
    expect(unsetSystemConfigMessage("feature_evm_timestamp")).toBe(CONFIG_UNSET_500.errorMessage);
    // the message names the key: another key's "does not exist" is not this one's
    await expect(client.systemConfig("feature_balance")).rejects.toBeInstanceOf(WebaseError);
    await expect(client.systemConfig("tx_count_limit")).rejects.toMatchObject({ code: -1 });
  });

  it("reads the crypto type from web3/encrypt", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/encrypt`, ok(0));
    expect(await client.cryptoType()).toBe("ecdsa");
    fake.on(`GET ${W3}/encrypt`, ok(1));
    expect(await client.cryptoType()).toBe("sm");
    fake.on(`GET ${W3}/encrypt`, ok(3));
    await expect(client.cryptoType()).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe("keys", () => {
  it("creates a local key (type 0) and passes the encrypted privateKey through untouched", async () => {
    const { fake, client } = setup();
    fake.on("GET /privateKey", ok(KEY_STORE_INFO));
    const k = await client.createKey("hospital-1");
    expect(fake.seen[0]?.query).toEqual({ type: "0", userName: "hospital-1", groupId: "group0" });
    expect(k).toEqual(KEY_STORE_INFO);
    expect(k.privateKey).toBe(ME_PRIVATE_KEY_AES);
    expect(k.privateKey).not.toContain(ME_PRIVATE_KEY);
  });

  it("imports a key and reports a taken name (422 201038)", async () => {
    const { fake, client } = setup();
    fake.on("GET /privateKey/import", ok({ ...KEY_STORE_INFO, userName: "alliance" }));
    fake.on("GET /privateKey", fail(422, NAME_TAKEN));
    expect((await client.importKey(ME_PRIVATE_KEY, "alliance")).address).toBe(ME);
    expect(fake.seen[0]?.query).toEqual({
      privateKey: ME_PRIVATE_KEY,
      userName: "alliance",
      groupId: "group0",
    });
    await expect(client.createKey("hospital-1")).rejects.toMatchObject({
      httpStatus: 422,
      code: 201038,
      data: null,
    });
  });

  it("has no way to list every key", () => {
    const { client } = setup();
    expect("listKeys" in client).toBe(false);
  });
});

describe("contracts", () => {
  it("deploys with the user lower-cased and reads the text/plain address", async () => {
    const { fake, client } = setup();
    fake.on("POST /contract/deploy", text(CONTRACT));
    const abi = [{ type: "constructor", inputs: [{ name: "x", type: "uint256" }] }];
    const address = await client.deploy({
      user: ME_EIP55,
      contractName: "Lucky",
      abi,
      bytecode: "0x6080",
      params: ["1"],
    });
    expect(address).toBe(CONTRACT);
    expect(fake.seen[0]?.body).toEqual({
      groupId: "group0",
      user: ME,
      contractName: "Lucky",
      abiInfo: abi,
      bytecodeBin: "6080",
      funcParam: ["1"],
      isWasm: false,
    });
  });

  it("reports a reverted deploy (422 201014, no receipt) and refuses a quoted address", async () => {
    const { fake, client } = setup();
    const req = { user: ME, contractName: "Lucky", abi: [], bytecode: "6080" };
    fake.on("POST /contract/deploy", fail(422, DEPLOY_REVERTED));
    await expect(client.deploy(req)).rejects.toMatchObject({
      code: 201014,
      errorMessage: "Revert instruction",
      data: null,
    });
    fake.on("POST /contract/deploy", text(`"${CONTRACT}"`));
    await expect(client.deploy(req)).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it("calls a view function with user and contractAddress lower-cased", async () => {
    const { fake, client } = setup();
    fake.on("POST /trans/handle", ok(["42", "true", ME]));
    const out = await client.call({
      user: ME_EIP55,
      address: CONTRACT_EIP55,
      abi: ABI,
      funcName: "get",
      params: ["1"],
    });
    expect(out).toEqual(["42", "true", ME]);
    expect(fake.seen[0]?.body).toEqual({
      groupId: "group0",
      user: ME,
      contractName: "",
      contractAddress: CONTRACT,
      funcName: "get",
      contractAbi: ABI,
      funcParam: ["1"],
      useCns: false,
      isWasm: false,
    });
  });

  it("turns a view revert into CallRevertError: Error(string) reason, or the status for a custom error", async () => {
    const { fake, client } = setup();
    const req = { address: CONTRACT, abi: ABI, funcName: "get", params: ["1"] };
    fake.on("POST /trans/handle", ok(["Call contract return error: unlucky value"]));
    const e1 = (await caught(client.call(req))) as CallRevertError;
    expect(e1).toBeInstanceOf(CallRevertError);
    expect(e1.reason).toBe("unlucky value");
    fake.on("POST /trans/handle", ok(["Call contract return error: call contract error of status:16"]));
    const e2 = (await caught(client.call(req))) as CallRevertError;
    expect(e2.reason).toBe("call contract error of status:16");
    expect(Object.keys(e2)).not.toContain("errorName");
    expect(fake.seen[0]?.body).toMatchObject({ user: "" });
  });

  it("refuses to call a function the ABI does not mark view/pure, and to send a view function", async () => {
    const { fake, client } = setup();
    await expect(
      client.call({ address: CONTRACT, abi: ABI, funcName: "set", params: ["1"] }),
    ).rejects.toThrow(/not view\/pure/);
    await expect(
      client.send({ user: ME, address: CONTRACT, abi: ABI, funcName: "get", params: ["1"] }),
    ).rejects.toThrow(/is view\/pure/);
    await expect(client.call({ address: CONTRACT, abi: ABI, funcName: "nope" })).rejects.toThrow(
      /not a function/,
    );
    expect(fake.seen).toHaveLength(0);
  });

  it("sends a transaction with user lower-cased; a revert is a receipt with statusOK false", async () => {
    const { fake, client } = setup();
    fake.on("POST /trans/handle", ok(receiptJson(TX1)));
    const r = await client.send({
      user: ME_EIP55,
      address: CONTRACT_EIP55,
      abi: ABI,
      funcName: "set",
      params: ["5"],
    });
    expect(r.statusOK).toBe(true);
    expect(r.logEntries[0]?.address).toBe(CONTRACT);
    expect(fake.seen[0]?.body).toMatchObject({ user: ME, contractAddress: CONTRACT, funcName: "set" });
    const revertOutput =
      "0x08c379a0" +
      "0".repeat(62) +
      "20" +
      "0".repeat(62) +
      "0d" +
      "756e6c75636b792076616c7565" +
      "0".repeat(38);
    const reverted = receiptJson(TX1, {
      status: 16,
      statusOK: false,
      output: revertOutput,
      message: "unlucky value",
      logEntries: [],
    });
    fake.on("POST /trans/handle", ok(reverted));
    expect(
      await client.send({ user: ME, address: CONTRACT, abi: ABI, funcName: "set", params: ["5"] }),
    ).toMatchObject({
      status: 16,
      statusOK: false,
      output: revertOutput,
      message: "unlucky value",
    });
  });

  it("reports an unknown signing key (201015), an encode failure (201151) and a call result to send()", async () => {
    const { fake, client } = setup();
    const req = { user: ME, address: CONTRACT, abi: ABI, funcName: "set", params: ["5"] };
    fake.on("POST /trans/handle", fail(422, KEY_NOT_HELD));
    await expect(client.send(req)).rejects.toMatchObject({ httpStatus: 422, code: 201015 });
    fake.on("POST /trans/handle", fail(422, ENCODE_FAILED));
    await expect(client.send(req)).rejects.toMatchObject({ code: 201151 });
    fake.on("POST /trans/handle", ok(["42"]));
    await expect(client.send(req)).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe("event logs", () => {
  const query = (fromBlock: number, toBlock: number) => ({
    contractAddress: CONTRACT_EIP55,
    abi: ABI,
    fromBlock,
    toBlock,
    eventName: "ValueSet",
  });

  it("splits a long range into pieces of 1,000 blocks, one after another, clamped at the head", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, ok(2500));
    fake.on("POST /event/eventLogs/list", async (req) => {
      await new Promise((r) => setTimeout(r, 5));
      return ok(eventPage((req.body as { fromBlock: number }).fromBlock));
    });
    const items = await client.eventLogs(query(0, 9999));
    const bodies = fake.seen.filter((s) => s.path === "/event/eventLogs/list").map((s) => s.body);
    expect(EVENT_LOG_CHUNK_BLOCKS).toBe(1000);
    expect(
      bodies.map((b) => [(b as { fromBlock: number }).fromBlock, (b as { toBlock: number }).toBlock]),
    ).toEqual([
      [1, 1000],
      [1001, 2000],
      [2001, 2500],
    ]);
    expect(fake.maxInFlight).toBe(1);
    expect(bodies[0]).toEqual({
      groupId: "group0",
      contractAddress: CONTRACT,
      contractAbi: ABI,
      topics: { eventName: "ValueSet(address,uint256,string)" },
      fromBlock: 1,
      toBlock: 1000,
    });
    expect(items.map((i) => i.log.blockNumber)).toEqual([1, 1001, 2001]);
    expect(items[0]?.log.address).toBe(CONTRACT);
    expect(items[0]?.data).toEqual([VALUE_SET_TOPICS[1], "42", "hello"]);
  });

  it("takes -1 as the head and asks nothing for an empty range", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, ok(12));
    fake.on("POST /event/eventLogs/list", ok(eventPage(12)));
    await client.eventLogs(query(-1, -1));
    expect(fake.seen.at(-1)?.body).toMatchObject({ fromBlock: 12, toBlock: 12 });
    const before = fake.hits("POST /event/eventLogs/list");
    expect(await client.eventLogs(query(13, 20))).toEqual([]);
    expect(await client.eventLogs(query(5, 0))).toEqual([]);
    expect(fake.hits("POST /event/eventLogs/list")).toBe(before);
  });

  it("treats 201243 as no logs and throws 201012 and other errors", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, ok(12));
    fake.on("POST /event/eventLogs/list", ok(EVENT_RANGE_INVALID));
    expect(await client.eventLogs(query(1, 12))).toEqual([]);
    fake.on("POST /event/eventLogs/list", fail(422, BLOCK_BEYOND_HEAD));
    await expect(client.eventLogs(query(1, 12))).rejects.toMatchObject({ httpStatus: 422, code: 201012 });
    fake.on("POST /event/eventLogs/list", fail(422, EVENT_TIMEOUT));
    await expect(client.eventLogs(query(1, 12))).rejects.toMatchObject({ code: 201311 });
    fake.on("POST /event/eventLogs/list", ok({ code: 0, message: "success", data: [{ log: {}, data: [] }] }));
    await expect(client.eventLogs(query(1, 12))).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe("retries and network errors", () => {
  it("retries a GET once after a dropped connection", async () => {
    const { fake, client } = setup();
    fake.on(`GET ${W3}/blockNumber`, (_req, hit) => (hit === 1 ? "drop" : ok(12)));
    expect(await client.blockNumber()).toBe(12);
    expect(fake.hits(`GET ${W3}/blockNumber`)).toBe(2);
  });

  it("retries a view call and an event log query once, never a transaction, a deploy or a key", async () => {
    const { fake, client } = setup();
    fake.on("POST /trans/handle", (req, hit) =>
      hit === 1
        ? "drop"
        : (req.body as { funcName: string }).funcName === "get"
          ? ok(["1", "true", ME])
          : "drop",
    );
    expect(await client.call({ address: CONTRACT, abi: ABI, funcName: "get", params: ["1"] })).toHaveLength(
      3,
    );
    expect(fake.hits("POST /trans/handle")).toBe(2);

    fake.on(`GET ${W3}/blockNumber`, ok(12));
    fake.on("POST /event/eventLogs/list", (_req, hit) => (hit === 1 ? "drop" : ok(eventPage(3))));
    expect(
      await client.eventLogs({
        contractAddress: CONTRACT,
        abi: ABI,
        fromBlock: 1,
        toBlock: 12,
        eventName: "ValueSet",
      }),
    ).toHaveLength(1);
    expect(fake.hits("POST /event/eventLogs/list")).toBe(2);

    const send = caught(
      client.send({ user: ME, address: CONTRACT, abi: ABI, funcName: "set", params: ["1"] }),
    );
    expect(await send).toBeInstanceOf(WebaseNetworkError);
    expect(fake.hits("POST /trans/handle")).toBe(3);

    fake.on("POST /contract/deploy", "drop");
    fake.on("GET /privateKey", "drop");
    await expect(
      client.deploy({ user: ME, contractName: "A", abi: [], bytecode: "6080" }),
    ).rejects.toBeInstanceOf(WebaseNetworkError);
    await expect(client.createKey("x")).rejects.toBeInstanceOf(WebaseNetworkError);
    expect(fake.hits("POST /contract/deploy")).toBe(1);
    expect(fake.hits("GET /privateKey")).toBe(1);
  });

  it("times out, tries a GET twice, and reports a network error with httpStatus 0", async () => {
    const { fake, client } = setup(50);
    fake.on(`GET ${W3}/blockByNumber/7`, "hang");
    const e = (await caught(client.blockByNumber(7))) as WebaseNetworkError;
    expect(e).toBeInstanceOf(WebaseNetworkError);
    expect(e).toBeInstanceOf(WebaseError);
    expect(e.httpStatus).toBe(0);
    expect(e.errorMessage).toMatch(/timed out after 50 ms/);
    expect(fake.hits(`GET ${W3}/blockByNumber/7`)).toBe(2);
  });
});
