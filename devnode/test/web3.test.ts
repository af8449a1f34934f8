// /{group}/web3/... and /event/eventLogs/list: exact key sets, inverted fullTrans, unknown-hash answers,
// event rows as the node and java-sdk build them, and the edge codes of the event route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import { ABI, GROUP, client, expectError, start, tempDir } from "./helpers.ts";

const BLOCK_KEYS = [
  "number",
  "version",
  "hash",
  "logsBloom",
  "txsRoot",
  "receiptsRoot",
  "stateRoot",
  "sealer",
  "sealerList",
  "extraData",
  "gasUsed",
  "timestamp",
  "parentInfo",
  "signatureList",
  "consensusWeights",
  "transactions",
];
const TX_KEYS = [
  "version",
  "hash",
  "nonce",
  "blockLimit",
  "to",
  "from",
  "abi",
  "input",
  "chainID",
  "groupID",
  "extraData",
  "signature",
  "importTime",
  "transactionProof",
  "txProof",
  "value",
  "gasPrice",
  "gasLimit",
  "maxFeePerGas",
  "maxPriorityFeePerGas",
  "extension",
];
const RECEIPT_KEYS = [
  "version",
  "contractAddress",
  "checksumContractAddress",
  "gasUsed",
  "status",
  "blockNumber",
  "output",
  "transactionHash",
  "hash",
  "logEntries",
  "input",
  "from",
  "to",
  "transactionProof",
  "receiptProof",
  "txProof",
  "txReceiptProof",
  "extraData",
  "message",
  "effectiveGasPrice",
  "statusOK",
];

describe("web3 and events", () => {
  const tmp = tempDir();
  let node: Devnode;
  let c: ReturnType<typeof client>;
  let user: string;
  let other: string;
  let contract: string;

  beforeAll(async () => {
    node = await start(tmp.dir);
    c = client(node.url);
    user = (await c.createKey("w-user")).address;
    other = (await c.createKey("w-other")).address;
    contract = await c.deploy(user);
    await c.handle(user, contract, "set", ["1", "one"]);
    await c.handle(other, contract, "set", ["2", "two"]);
    await c.handle(user, contract, "set", ["3", "three"]);
  });
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("serves blocks, transactions and receipts with exactly FISCO 3.x's keys", async () => {
    const s = (await c.handle(user, contract, "set", ["5", "five"])).json;
    expect(Object.keys(s)).toEqual(RECEIPT_KEYS);
    const n = s.blockNumber;
    const b = (await c.get(`/${GROUP}/web3/blockByNumber/${n}`)).json;
    expect(Object.keys(b)).toEqual(BLOCK_KEYS);
    expect(b).toMatchObject({ number: n, logsBloom: null, sealer: 0, extraData: "0x", gasUsed: s.gasUsed });
    expect(b.parentInfo).toEqual([
      { blockNumber: n - 1, blockHash: (await c.get(`/${GROUP}/web3/blockByNumber/${n - 1}`)).json.hash },
    ]);
    expect(Object.keys(b.transactions[0])).toEqual(TX_KEYS);
    expect((await c.get(`/${GROUP}/web3/blockByHash/${b.hash}`)).json).toEqual(b);
    // fullTrans is handed to java-sdk as onlyTxHash: true gives hashes
    expect((await c.get(`/${GROUP}/web3/blockByHash/${b.hash}?fullTrans=true`)).json.transactions).toEqual([
      s.transactionHash,
    ]);
    const tx = (await c.get(`/${GROUP}/web3/transaction/${s.transactionHash}`)).json;
    expect(tx).toEqual(b.transactions[0]);
    expect(tx).toMatchObject({
      hash: s.transactionHash,
      from: user,
      to: contract,
      groupID: GROUP,
      chainID: "chain0",
      blockLimit: n - 1 + 500,
    });
    expect(tx.signature).toMatch(/^0x[0-9a-f]{128}0[01]$/);
    const rc = (await c.get(`/${GROUP}/web3/transactionReceipt/${s.transactionHash}`)).json;
    expect(rc).toEqual({ ...s, message: "" }); // the handle route sets java-sdk's "Success"
    expect(s.logEntries[0]).toEqual({
      address: contract.slice(2),
      topics: expect.any(Array),
      data: expect.any(String),
      blockNumber: null,
    });
    expect((await c.get(`/${GROUP}/web3/blockTransCnt/${n}`)).json).toBe(1);
    const genesis = (await c.get(`/${GROUP}/web3/blockByNumber/0`)).json;
    expect(genesis).toMatchObject({ number: 0, parentInfo: [], transactions: [] });
    expect(genesis.timestamp).toBeGreaterThan(1e12); // ms, like FISCO BCOS
    expect(b.timestamp).toBeGreaterThan(genesis.timestamp);
    const code = await c.get(`/${GROUP}/web3/code/${contract}/0`);
    expect(code.text).toMatch(/^0x60806040/);
    expect((await c.get(`/${GROUP}/web3/transaction-total`)).json).toEqual({
      transactionCount: String(n),
      blockNumber: String(n),
      failedTransactionCount: "0",
    });
  });

  it("answers unknown things the WeBASE way", async () => {
    const unknown = "0x" + "12".repeat(32);
    const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
    expectError(
      await c.get(`/${GROUP}/web3/blockByNumber/${head + 1}`),
      422,
      201012,
      "request blockNumber is greater than latest",
    );
    expectError(await c.get(`/${GROUP}/web3/blockTransCnt/${head + 1}`), 422, 201012);
    expectError(await c.get(`/${GROUP}/web3/blockByNumber/abc`), 400, 400);
    expectError(await c.get(`/${GROUP}/web3/blockByNumber/1?fullTrans=maybe`), 400, 400);
    expectError(
      await c.get(`/${GROUP}/web3/transactionReceipt/${unknown}`),
      422,
      201510,
      "transaction receipt of this hash not exist",
    );
    expectError(
      await c.get(`/${GROUP}/web3/blockByHash/${unknown}`),
      422,
      201511,
      "block of this hash not exist",
    );
    expectError(await c.get(`/${GROUP}/web3/blockByHash/nonsense`), 422, 201511);
    expectError(
      await c.get(`/${GROUP}/web3/transaction/${unknown}`),
      500,
      500,
      "callRemoteMethod failed for decode the message exception, error message:ErrorMessage: GetBatchTxsByHashList error",
    );
    expectError(await c.get(`/group1/web3/blockNumber`), 500, 500);
    const batch = await c.get(`/${GROUP}/web3/transReceipt/batchByNumber/1`);
    expect(batch.status).toBe(404);
  });

  describe("eventLogs/list", () => {
    const list = (topics: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      c.post("/event/eventLogs/list", {
        groupId: GROUP,
        contractAddress: contract,
        contractAbi: ABI,
        fromBlock: 1,
        toBlock: -1,
        topics,
        ...extra,
      });
    const SIG = "ValueSet(address,uint256,string)";
    const topicOf = (a: string) => "0x" + "0".repeat(24) + a.slice(2);

    it("lists decoded events in BasePageResponse, indexed params as raw topics", async () => {
      const all = (await list({ eventName: SIG })).json;
      expect(Object.keys(all)).toEqual(["code", "message", "data", "totalCount"]);
      expect(all).toMatchObject({ code: 0, message: "success" });
      expect(all.totalCount).toBe(all.data.length);
      expect(all.data.slice(0, 3).map((r: { data: string[] }) => r.data)).toEqual([
        [topicOf(user), "1", "one"],
        [topicOf(other), "2", "two"],
        [topicOf(user), "3", "three"],
      ]);
      const log = all.data[0].log;
      expect(Object.keys(log)).toEqual([
        "logIndex",
        "transactionIndex",
        "transactionHash",
        "blockNumber",
        "address",
        "data",
        "topics",
      ]);
      expect(log).toMatchObject({
        address: contract.slice(2),
        transactionIndex: 0,
        logIndex: 0,
        blockNumber: 2,
      });
    });

    it("filters on indexed parameters and on the address as the node compares them", async () => {
      const mine = (await list({ eventName: SIG, indexed1: { type: "address", value: other } })).json;
      expect(mine.data.map((r: { data: string[] }) => r.data[1])).toEqual(["2"]);
      // the node compares topics and addresses literally: a mixed-case value matches nothing
      const upper = "0x" + other.slice(2).toUpperCase();
      expect(
        (await list({ eventName: SIG, indexed1: { type: "address", value: upper } })).json.totalCount,
      ).toBe(0);
      expect(
        (await list({ eventName: SIG }, { contractAddress: "0x" + contract.slice(2).toUpperCase() })).json,
      ).toEqual({
        code: 0,
        message: "success",
        data: [],
        totalCount: 0,
      });
      // topic 0 is the hash of the eventName string as given: a bare name matches nothing
      expect((await list({ eventName: "ValueSet" })).json.totalCount).toBe(0);
      expect((await list({ eventName: SIG }, { fromBlock: 3, toBlock: 3 })).json.totalCount).toBe(1);
    });

    it("answers the range edge cases and bad requests with WeBASE's codes", async () => {
      const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
      const range = {
        code: 201243,
        message:
          "Block range error, from/toBlock must greater than 0, toBlock must be greater than fromBlock",
        data: [],
        totalCount: 0,
      };
      for (const r of [
        { fromBlock: 0 },
        { toBlock: 0 },
        { fromBlock: 3, toBlock: 2 },
        { fromBlock: -1, toBlock: 1 },
      ]) {
        const res = await list({ eventName: SIG }, r);
        expect({ status: res.status, json: res.json }).toEqual({ status: 200, json: range });
      }
      expectError(await list({ eventName: SIG }, { toBlock: head + 1 }), 422, 201012);
      // ReqEventLogList's validation messages are plain text: WeBASE fails with an NPE
      for (const missing of ["groupId", "contractAbi", "fromBlock", "toBlock"]) {
        expectError(await list({ eventName: SIG }, { [missing]: undefined }), 500, 500, null);
      }
      expectError(await list({ eventName: SIG }, { contractAbi: [] }), 500, 500, null);
      expectError(await list(undefined as unknown as Record<string, unknown>), 500, 500, null);
      expectError(
        await list({ eventName: SIG, indexed1: { type: "uint256", value: "x" } }),
        500,
        500,
        'For input string: "x"',
      );
      expectError(
        await list({ eventName: SIG, indexed1: { type: "address", value: "0x12" } }),
        500,
        500,
        "invalid address",
      );
    });
  });
});
