// /contract/deploy and /trans/handle beyond the conformance script: WeBASE's validation order and
// codes, java-sdk's encode rules and messages, result strings, revert texts, receipts.
import { AbiCoder, Wallet, id } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import {
  BARE_REVERT_BIN,
  BURNER_ABI,
  BURNER_BIN,
  CLOCK_ABI,
  CLOCK_BIN,
  ECHO_ABI,
  ECHO_BIN,
  FAILING_ABI,
  FAILING_CONSTRUCTOR_BIN,
  INVALID_BIN,
  PANIC_BIN,
  REVERTER_ABI,
  REVERTER_BIN,
  UNAUTHORIZED_SELECTOR,
  echoOf,
} from "./bytecode.ts";
import { ABI, BYTECODE, GROUP, client, expectError, start, tempDir } from "./helpers.ts";

const CTOR = " cannot encode in encodeMethodFromObject with appropriate interface ABI, cause:";
const METHOD =
  " cannot encode in encodeMethodFromString with appropriate interface ABI, make sure params match";

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

  describe("deploy", () => {
    const body = () => ({
      groupId: GROUP,
      user,
      contractName: "C",
      abiInfo: ABI,
      bytecodeBin: BYTECODE,
      funcParam: [],
    });
    const reverterParams = (over: Record<number, string>) =>
      ["1", "0x" + "00".repeat(32), "true", user, "s", "[]"].map((v, i) => over[i] ?? v);

    it("answers the address as text, and encodes constructor funcParam of every kind", async () => {
      const res = await fetch(`${node.url}/contract/deploy`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body()),
      });
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await res.text()).toMatch(/^0x[0-9a-f]{40}$/);
      const a = await c.deploy(user, REVERTER_ABI, REVERTER_BIN, [
        "42",
        "0x" + "ab".repeat(32),
        "true",
        user,
        "héllo",
        "[1,2,3]",
      ]);
      expect(a).toMatch(/^0x[0-9a-f]{40}$/);
    });

    it("checks in WeBASE's order, with its codes and java-sdk's messages", async () => {
      const deploy = (over: Record<string, unknown>) => c.post("/contract/deploy", { ...body(), ...over });
      expectError(await deploy({ abiInfo: [] }), 422, 201006, "abiInfo cannot be empty");
      expectError(await deploy({ bytecodeBin: " " }), 422, 201007, "bytecodeBin cannot be empty");
      expectError(await deploy({ user: "" }), 422, 201002, "user cannot be empty");
      expectError(await deploy({ groupId: "group1" }), 500, 500);
      expectError(
        await deploy({ funcParam: ["1"] }),
        422,
        201151,
        " expected 0 parameters but provided 1 parameters",
      );
      expectError(
        await deploy({ bytecodeBin: "zz" }),
        422,
        201151,
        CTOR + CTOR + "exception decoding Hex string: invalid characters encountered in Hex string",
      );
      const bad = { abiInfo: REVERTER_ABI, bytecodeBin: REVERTER_BIN };
      expectError(
        await deploy({ ...bad, funcParam: reverterParams({ 0: "x" }) }),
        422,
        201151,
        CTOR + "Arguments mismatch: ROOT, expected: UINT, actual: x, exception reason:Negative ",
      );
      expectError(
        await deploy({ ...bad, funcParam: reverterParams({ 1: "0x00" }) }),
        422,
        201151,
        CTOR +
          "Arguments mismatch: ROOT, expected: BYTES, actual: 0x00, exception reason:" +
          "Invalid input bytes, required length: 32, input data length:1",
      );
      expectError(
        await deploy({ ...bad, funcParam: reverterParams({ 5: '["1"]' }) }),
        422,
        201151,
        CTOR + "Arguments mismatch: ROOT.<0>, expected: UINT, actual: STRING",
      );
      // the key is looked up after encoding, exactly
      expectError(
        await deploy({ user: Wallet.createRandom().address }),
        422,
        201015,
        "user's privateKey is null",
      );
      expectError(await deploy({ abiInfo: [{ name: "no type" }] }), 500, 500, null); // loadABI null → NPE
    });

    it("mines a failing deployment and answers 201014 with the decoded message, data null", async () => {
      const before = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
      expectError(
        await c.post("/contract/deploy", { ...body(), bytecodeBin: FAILING_CONSTRUCTOR_BIN }),
        422,
        201014,
        "Revert instruction",
      );
      expect(Number((await c.get(`/${GROUP}/web3/blockNumber`)).text)).toBe(before + 1);
    });
  });

  describe("trans/handle", () => {
    it("renders call results as java-sdk strings, arrays as Jackson's pretty JSON", async () => {
      const echo = await c.deploy(user, ECHO_ABI, ECHO_BIN);
      expect((await c.handle("", echo, "info", [], ECHO_ABI)).json).toEqual([
        "0x00000000000000000000000000000000000000ab",
        "true",
        "hex://" + "11".repeat(32),
        "-5",
        "héllo",
      ]);
      const a1 = "0x" + "12".repeat(20);
      const e = echoOf(
        ["uint256[]", "bytes4", "bytes", "address[2]", "(uint8,string)", "bytes2[]", "int8[]"],
        [[1n, 2n ** 70n], "0x01020304", "0xabcd", [a1, a1], [7, 'a"b'], ["0x0102"], []],
      );
      const arrays = await c.deploy(user, e.abi, e.bin);
      expect((await c.handle(user, arrays, "get", [], e.abi)).json).toEqual([
        "[ 1, 1180591620717411303424 ]",
        "hex://01020304",
        "hex://abcd",
        `[ "${a1}", "${a1}" ]`,
        '[ 7, "a\\"b" ]',
        `[ "0102${"00".repeat(30)}" ]`,
        "[ ]",
      ]);
      // a transaction's receipt carries the function's return data in `output`
      const t = await c.handle(user, echo, "touch", [], ECHO_ABI);
      expect(t.json).toMatchObject({
        statusOK: true,
        message: "Success",
        contractAddress: "",
        checksumContractAddress: "",
      });
      expect(t.json.output.length).toBeGreaterThan(2 + 64 * 5);
    });

    it("encodes funcParam as java-sdk does, lenient where it is", async () => {
      const clock = await c.deploy(user, CLOCK_ABI, CLOCK_BIN);
      const take = {
        type: "function",
        name: "take",
        stateMutability: "nonpayable",
        inputs: ["bool", "bool", "uint8", "bytes4", "bytes", "address", "uint256[]"].map((type, i) => ({
          name: `p${i}`,
          type,
        })),
        outputs: [],
      };
      const r = await c.handle(
        user,
        clock,
        "take",
        ["yes", "TRUE", "0x10", "wxyz", "hello", "0x12", "[1, 2.9, 36893488147419103233]"],
        [take],
      );
      expect(r.status, r.text).toBe(200);
      const coder = AbiCoder.defaultAbiCoder();
      const expected = coder.encode(
        ["bool", "bool", "uint8", "bytes4", "bytes", "address", "uint256[]"],
        [false, true, 16, "0x7778797a", "0x68656c6c6f", "0x" + "0".repeat(38) + "12", [1n, 2n, 1n]],
      );
      expect(r.json.input).toBe(
        id("take(bool,bool,uint8,bytes4,bytes,address,uint256[])").slice(0, 10) + expected.slice(2),
      );
      // uint8 is checked; other widths only against 256 bits
      expectError(
        await c.handle(user, clock, "take", ["true", "true", "256", "wxyz", "", "0x1", "[]"], [take]),
        422,
        201151,
        METHOD,
      );
    });

    it("answers revert texts as java-sdk's RevertMessageParser reads them", async () => {
      const reverter = await c.deploy(user, REVERTER_ABI, REVERTER_BIN, [
        "1",
        "0x" + "00".repeat(32),
        "false",
        user,
        "",
        "[]",
      ]);
      const call = (addr: string, abi: unknown[], fn: string) =>
        c.handle(user, addr, fn, [], abi).then((r) => r.json);
      expect(await call(contract, ABI, "alwaysReverts")).toEqual([
        "Call contract return error: always reverts",
      ]);
      expect(await call(reverter, REVERTER_ABI, "peek")).toEqual([
        "Call contract return error: call contract error of status:16",
      ]);
      const panic = await c.deploy(user, FAILING_ABI, PANIC_BIN);
      const bare = await c.deploy(user, FAILING_ABI, BARE_REVERT_BIN);
      const invalid = await c.deploy(user, FAILING_ABI, INVALID_BIN);
      expect(await call(panic, FAILING_ABI, "check")).toEqual([
        "Call contract return error: call contract error of status:16",
      ]);
      expect(await call(bare, FAILING_ABI, "check")).toEqual([
        "Call contract return error: call contract error of status:16",
      ]);
      // the node writes an Error(string) for an invalid opcode, which java-sdk then reads
      expect(await call(invalid, FAILING_ABI, "check")).toEqual([
        "Call contract return error: Execution invalid/undefined opcode.",
      ]);

      const t = await c.handle(user, reverter, "poke", [], REVERTER_ABI);
      expect(t.status).toBe(200);
      expect(t.json).toMatchObject({ status: 16, statusOK: false, message: "Revert instruction" });
      expect(t.json.output).toBe(UNAUTHORIZED_SELECTOR + user.slice(2).padStart(64, "0"));
      const s = await c.handle(user, contract, "set", ["13", "x"]);
      expect(s.json).toMatchObject({ status: 16, statusOK: false, message: "unlucky value", logEntries: [] });
      const i = await c.handle(user, invalid, "run", [], FAILING_ABI);
      expect(i.json).toMatchObject({ status: 10, message: "Execution invalid/undefined opcode." });
      // the node's own message, as /web3/transactionReceipt gives it, is always empty
      expect((await c.get(`/${GROUP}/web3/transactionReceipt/${s.json.transactionHash}`)).json.message).toBe(
        "",
      );
    });

    it("keeps `to` as the request gave it, and sees a view's msg.sender as the zero address", async () => {
      const clock = await c.deploy(user, CLOCK_ABI, CLOCK_BIN);
      const upper = "0x" + clock.slice(2).toUpperCase();
      const t = await c.handle(user, upper, "stamp", [], CLOCK_ABI);
      expect(t.json.to).toBe(upper);
      expect((await c.get(`/${GROUP}/web3/transaction/${t.json.transactionHash}`)).json.to).toBe(upper);
      expect((await c.handle(user, clock, "read", [], CLOCK_ABI)).json[3]).toBe("0x" + "00".repeat(20));
    });

    it("checks in WeBASE's order, with its codes and messages", async () => {
      expectError(
        await c.handle(undefined, contract, "set", ["1", "a"]),
        422,
        201002,
        "user cannot be empty",
      );
      expectError(await c.handle(user, contract, ""), 422, 201005, "funcName cannot be empty");
      expectError(await c.handle(user, "", "get"), 422, 201035, "version and address cannot all be null");
      expectError(await c.handle(user, "0x1", "get"), 422, 201201, "address is invalid");
      expectError(
        await c.handle(user, contract, "noSuchFunction"),
        422,
        201151,
        "Invalid method noSuchFunction , supported functions are: [alwaysReverts, set, get, value]",
      );
      expectError(await c.handle(user, contract, "set", ["1"]), 422, 201151, METHOD);
      expectError(await c.handle(user, contract, "set", ["1.5", "a"]), 422, 201151, METHOD);
      expectError(await c.handle(user, contract, "set", ["-1", "a"]), 422, 201151, METHOD);
      expectError(await c.handle(Wallet.createRandom().address, contract, "set", ["1", "a"]), 422, 201015);
      expectError(await c.handle(user, contract, "get", [], ABI, { groupId: "group1" }), 500, 500);
      const noGroup = await c.post("/trans/handle", {
        user,
        contractAddress: contract,
        funcName: "get",
        contractAbi: ABI,
      });
      expectError(
        noGroup,
        500,
        500,
        "get Client failed, e: The group not exist, please check the groupID, groupID: 1",
      );
      expectError(await c.post("/trans/handle", "{not json"), 500, 500);
      // a call to an address without code answers no data, which does not decode
      expectError(
        await c.handle(user, "0x" + "77".repeat(20), "get"),
        422,
        201152,
        "Unsupported contract param type to decoded",
      );
    });
  });

  it("keeps gas free after a block that used more than half the block gas limit", async () => {
    const burner = await c.deploy(user, BURNER_ABI, BURNER_BIN);
    const big = await c.handle(user, burner, "burn", [], BURNER_ABI);
    expect(big.json.statusOK).toBe(true);
    expect(Number(big.json.gasUsed)).toBeGreaterThan(15_000_000);
    const poor = (await c.createKey("no-balance")).address;
    expect((await c.handle(poor, contract, "set", ["99", "still free"])).json.statusOK).toBe(true);
  });
});
