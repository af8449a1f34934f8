// Route behaviour beyond the conformance script: exact error codes, funcParam handling, result strings,
// custom errors, events with indexed filters.
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import {
  BURNER_ABI,
  BURNER_BIN,
  ECHO_ABI,
  ECHO_BIN,
  FAILING_CONSTRUCTOR_BIN,
  REVERTER_ABI,
  REVERTER_BIN,
  UNAUTHORIZED_SELECTOR,
} from "./bytecode.ts";
import { ABI, BYTECODE, GROUP, client, start, tempDir, type Res } from "./helpers.ts";

describe("devnode API", () => {
  const tmp = tempDir();
  let node: Devnode;
  let c: ReturnType<typeof client>;
  let user: string;
  let contract: string;

  beforeAll(async () => {
    node = await start(tmp.dir);
    c = client(node.url);
    user = (await c.createKey("api-user")).address;
    contract = await c.deploy(user);
  });
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  const expectError = (r: Res, status: number, code: number) => {
    expect({ status: r.status, code: r.json?.code }, r.text).toEqual({ status, code });
    expect(typeof r.json.errorMessage).toBe("string");
    expect("data" in r.json).toBe(true);
  };

  describe("keys", () => {
    it("creates, imports and lists keys", async () => {
      const w = Wallet.createRandom();
      const r = await c.get(
        `/privateKey/import?privateKey=${w.privateKey.slice(2)}&userName=imported&groupId=${GROUP}`,
      );
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({
        address: w.address.toLowerCase(),
        userName: "imported",
        type: 0,
        groupId: GROUP,
      });
      expect(r.json.publicKey).toMatch(/^0x[0-9a-f]{128}$/);
      const list = (await c.get(`/privateKey/localKeyStores?groupId=${GROUP}`)).json;
      expect(list.map((k: { userName: string }) => k.userName)).toEqual(["api-user", "imported"]);
      // keys survive in keys.json
      const again = await c.get(
        `/privateKey/import?privateKey=0x${w.privateKey.slice(2)}&userName=other&groupId=${GROUP}`,
      );
      expectError(again, 422, 201039);
    });

    it("answers bad key requests with WeBASE codes", async () => {
      expectError(await c.get(`/privateKey?type=0&groupId=${GROUP}`), 422, 201037);
      expectError(await c.get(`/privateKey?type=0&userName=&groupId=${GROUP}`), 422, 201037);
      expectError(await c.get(`/privateKey?type=0&userName=api-user&groupId=${GROUP}`), 422, 201038);
      expectError(await c.get(`/privateKey?type=0&userName=x&groupId=group9`), 422, 101004);
      expectError(await c.get(`/privateKey?type=0&userName=x`), 400, 400);
      expectError(
        await c.get(`/privateKey/import?privateKey=xyz&userName=bad1&groupId=${GROUP}`),
        422,
        201031,
      );
      expectError(
        await c.get(`/privateKey/import?privateKey=${"0".repeat(64)}&userName=bad2&groupId=${GROUP}`),
        422,
        201031,
      );
      expectError(
        await c.get(`/privateKey/import?privateKey=${"1".repeat(64)}&groupId=${GROUP}`),
        422,
        201037,
      );
      expectError(await c.get(`/privateKey/localKeyStores?groupId=nope`), 422, 101004);
    });
  });

  describe("deploy", () => {
    it("encodes constructor funcParam of every scalar type and arrays", async () => {
      const params = ["42", "0x" + "ab".repeat(32), "true", user, "héllo", "[1,2,3]"];
      const address = await c.deploy(user, REVERTER_ABI, REVERTER_BIN, params);
      expect(address).toMatch(/^0x[0-9a-f]{40}$/);
    });

    it("answers bad deploy requests with WeBASE codes", async () => {
      const body = {
        groupId: GROUP,
        user,
        contractName: "C",
        abiInfo: ABI,
        bytecodeBin: BYTECODE,
        funcParam: [],
      };
      expectError(await c.post("/contract/deploy", { ...body, user: undefined }), 422, 201002);
      expectError(await c.post("/contract/deploy", { ...body, bytecodeBin: null }), 422, 201028);
      expectError(
        await c.post("/contract/deploy", { ...body, user: Wallet.createRandom().address }),
        422,
        201015,
      );
      expectError(await c.post("/contract/deploy", { ...body, groupId: "group1" }), 422, 101004);
      expectError(await c.post("/contract/deploy", { ...body, funcParam: ["1"] }), 422, 201011);
      const bad = { ...body, abiInfo: REVERTER_ABI, bytecodeBin: REVERTER_BIN };
      expectError(
        await c.post("/contract/deploy", { ...bad, funcParam: ["x", "0x00", "true", user, "s", "[]"] }),
        422,
        201153,
      );
      expectError(
        await c.post("/contract/deploy", { ...bad, funcParam: ["1", "0x00", "true", user, "s", "[]"] }),
        422,
        201153,
      );
      expectError(
        await c.post("/contract/deploy", {
          ...bad,
          funcParam: ["1", "0x" + "00".repeat(32), "yes", user, "s", "[]"],
        }),
        422,
        201153,
      );
      expectError(
        await c.post("/contract/deploy", {
          ...bad,
          funcParam: ["1", "0x" + "00".repeat(32), "true", "0x12", "s", "[]"],
        }),
        422,
        201153,
      );
      expectError(
        await c.post("/contract/deploy", {
          ...bad,
          funcParam: ["1", "0x" + "00".repeat(32), "true", user, "s", "[1,"],
        }),
        422,
        201153,
      );
    });

    it("mines a failing deployment and answers 201014 with the receipt", async () => {
      const before = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
      const r = await c.post("/contract/deploy", {
        groupId: GROUP,
        user,
        contractName: "F",
        abiInfo: ABI,
        bytecodeBin: FAILING_CONSTRUCTOR_BIN,
        funcParam: [],
      });
      expectError(r, 422, 201014);
      expect(r.json.data).toMatchObject({ statusOK: false, status: 16, blockNumber: before + 1 });
      expect(Number((await c.get(`/${GROUP}/web3/blockNumber`)).text)).toBe(before + 1);
    });
  });

  describe("trans/handle", () => {
    it("renders call results as java-sdk strings", async () => {
      const echo = await c.deploy(user, ECHO_ABI, ECHO_BIN);
      const r = await c.handle(user, echo, "info", [], ECHO_ABI);
      expect(r.json).toEqual([
        "0x00000000000000000000000000000000000000ab",
        "true",
        "0x" + "11".repeat(32),
        "-5",
        "héllo",
      ]);
      // a transaction's receipt carries the function's return data in `output`
      const t = await c.handle(user, echo, "touch", [], ECHO_ABI);
      expect(t.json.statusOK).toBe(true);
      expect(t.json.output.length).toBeGreaterThan(2 + 64 * 5);
      expect(t.json.contractAddress).toBe("");
    });

    it("names custom errors in receipts and in call errors", async () => {
      const reverter = await c.deploy(user, REVERTER_ABI, REVERTER_BIN, [
        "1",
        "0x" + "00".repeat(32),
        "false",
        user,
        "",
        "[]",
      ]);
      const t = await c.handle(user, reverter, "poke", [], REVERTER_ABI);
      expect(t.status).toBe(200);
      expect(t.json).toMatchObject({ status: 16, statusOK: false, message: `Unauthorized(${user})` });
      expect(t.json.output).toBe(UNAUTHORIZED_SELECTOR + user.slice(2).padStart(64, "0"));
      const v = await c.handle(user, reverter, "peek", [], REVERTER_ABI);
      expect(v.json).toEqual([`Call contract return error: Unauthorized(${user})`]);
      // an ABI that does not declare the error, on a contract deployed with one that does: still named
      const t2 = await c.handle(user, reverter, "poke", [], [REVERTER_ABI[1]]);
      expect(t2.json.message).toBe(`Unauthorized(${user})`);
    });

    it("gives Error(string) reasons for reverted transactions and calls", async () => {
      const t = await c.handle(user, contract, "set", ["13", "x"]);
      expect(t.json).toMatchObject({ status: 16, statusOK: false, message: "unlucky value", logEntries: [] });
      expect(t.json.output.startsWith("0x08c379a0")).toBe(true);
      expect((await c.handle(user, contract, "alwaysReverts")).json).toEqual([
        "Call contract return error: always reverts",
      ]);
    });

    it("answers bad requests with WeBASE codes", async () => {
      expectError(await c.handle(undefined, contract, "set", ["1", "a"]), 422, 201002);
      expectError(await c.handle(user, "0x1", "get"), 422, 201201);
      expectError(await c.handle(user, contract, "noSuchFunction"), 422, 201019);
      expectError(await c.handle(user, contract, "set", ["1"]), 422, 201011);
      expectError(await c.handle(user, contract, "set", ["1.5", "a"]), 422, 201153);
      expectError(await c.handle(user, contract, "set", ["-1", "a"]), 422, 201153);
      expectError(await c.handle(Wallet.createRandom().address, contract, "set", ["1", "a"]), 422, 201015);
      expectError(await c.handle(user, contract, "get", [], ABI, { groupId: "group1" }), 422, 101004);
      expectError(await c.post("/trans/handle", "{not json"), 400, 400);
    });
  });

  describe("gas", () => {
    it("keeps gas free after a block that used more than half the block gas limit", async () => {
      const burner = await c.deploy(user, BURNER_ABI, BURNER_BIN);
      const big = await c.handle(user, burner, "burn", [], BURNER_ABI);
      expect(big.json.statusOK).toBe(true);
      expect(Number(big.json.gasUsed)).toBeGreaterThan(15_000_000);
      // EIP-1559 would now raise the base fee above 0; a key without balance must still be able to send
      const poor = (await c.createKey("no-balance")).address;
      const r = await c.handle(poor, contract, "set", ["99", "still free"]);
      expect(r.json.statusOK).toBe(true);
    });

    it("mines concurrent transactions one per block, in order", async () => {
      const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => c.handle(user, contract, "set", [String(100 + i), `n${i}`])),
      );
      const blocks = results.map((r) => r.json.blockNumber as number).sort((a, b) => a - b);
      expect(blocks).toEqual(Array.from({ length: 12 }, (_, i) => head + 1 + i));
      expect(results.every((r) => r.json.statusOK)).toBe(true);
    });
  });

  describe("web3", () => {
    it("serves blocks, transactions and receipts, FISCO style", async () => {
      const s = (await c.handle(user, contract, "set", ["5", "five"])).json;
      const n = s.blockNumber;
      const b = (await c.get(`/${GROUP}/web3/blockByNumber/${n}`)).json;
      expect((await c.get(`/${GROUP}/web3/blockByHash/${b.hash}`)).json).toEqual(b);
      expect(b.transactions).toHaveLength(1);
      expect(b.parentInfo).toEqual([{ blockNumber: n - 1, blockHash: b.parentHash }]);
      const tx = (await c.get(`/${GROUP}/web3/transaction/${s.transactionHash}`)).json;
      expect(tx).toMatchObject({
        hash: s.transactionHash,
        from: user,
        to: contract,
        groupID: GROUP,
        blockNumber: n,
      });
      expect((await c.get(`/${GROUP}/web3/transactionReceipt/${s.transactionHash}`)).json).toEqual(s);
      expect((await c.get(`/${GROUP}/web3/transReceipt/batchByNumber/${n}`)).json).toEqual([s]);
      expect((await c.get(`/${GROUP}/web3/transReceipt/batchByNumber/0`)).json).toEqual([]);
      const genesis = (await c.get(`/${GROUP}/web3/blockByNumber/0`)).json;
      expect(genesis.timestamp).toBeGreaterThan(1e12); // ms, like FISCO BCOS
      expect(b.timestamp).toBeGreaterThan(genesis.timestamp);
    });

    it("answers unknown things the WeBASE way", async () => {
      const unknown = "0x" + "12".repeat(32);
      const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
      expectError(await c.get(`/${GROUP}/web3/blockByNumber/${head + 1}`), 422, 201012);
      expectError(await c.get(`/${GROUP}/web3/transReceipt/batchByNumber/${head + 1}`), 422, 201012);
      expectError(await c.get(`/${GROUP}/web3/blockByNumber/abc`), 400, 400);
      expectError(await c.get(`/group1/web3/blockNumber`), 422, 101004);
      for (const p of ["transactionReceipt", "transaction", "blockByHash"]) {
        const r = await c.get(`/${GROUP}/web3/${p}/${unknown}`);
        expect({ status: r.status, text: r.text }).toEqual({ status: 200, text: "" });
      }
      expectError(await c.get(`/nothing/here`), 404, 404);
    });
  });

  describe("events", () => {
    it("lists decoded events and filters on indexed parameters", async () => {
      const other = (await c.createKey("api-other")).address;
      const fresh = await c.deploy(user);
      await c.handle(user, fresh, "set", ["1", "one"]);
      await c.handle(other, fresh, "set", ["2", "two"]);
      await c.handle(user, fresh, "set", ["3", "three"]);
      const list = (topics: Record<string, unknown>, range: Record<string, unknown> = {}) =>
        c.post("/event/eventLogs/list", {
          groupId: GROUP,
          contractAddress: fresh,
          contractAbi: ABI,
          fromBlock: 1,
          toBlock: -1,
          topics,
          ...range,
        });
      const all = (await list({ eventName: "ValueSet(address,uint256,string)" })).json;
      expect(all).toMatchObject({ code: 0, message: "success", totalCount: 3 });
      expect(all.data.map((r: { data: string[] }) => r.data)).toEqual([
        [user, "1", "one"],
        [other, "2", "two"],
        [user, "3", "three"],
      ]);
      expect(all.data[0].log).toMatchObject({ address: fresh, transactionIndex: 0, logIndex: 0 });
      const mine = (await list({ eventName: "ValueSet", indexed1: { type: "address", value: other } })).json;
      expect(mine.data.map((r: { data: string[] }) => r.data[1])).toEqual(["2"]);
      const first = all.data[0].log.blockNumber;
      const ranged = (await list({ eventName: "ValueSet" }, { fromBlock: first + 1, toBlock: first + 1 }))
        .json;
      expect(ranged.totalCount).toBe(1);
      expectError(
        await c.post("/event/eventLogs/list", {
          groupId: "g",
          contractAddress: fresh,
          contractAbi: ABI,
          topics: { eventName: "ValueSet" },
        }),
        422,
        101004,
      );
      expectError(await list({ eventName: "Nope(uint256)" }), 422, 101002);
    });
  });
});
