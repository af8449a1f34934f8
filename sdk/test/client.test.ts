// WebaseFrontClient against a tiny in-test HTTP fake that answers with the documented 3.x shapes
// (shared/reference/webase-front-api.md §0, §2). The real server is the devnode.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallRevertError, WebaseError, WebaseFrontClient, WebaseNetworkError } from "../src/index.ts";

const ADDR = "0x8cbb2a0c1a0a1e3e2e1dbf6e1c1c33d9e1234567";
const TX = `0x${"ab".repeat(32)}`;
const RECEIPT_3X = {
  version: 0,
  contractAddress: "",
  checksumContractAddress: "",
  gasUsed: "25349",
  status: 0,
  blockNumber: 7,
  output: "0x",
  transactionHash: TX,
  hash: `0x${"ee".repeat(32)}`,
  logEntries: [{ address: ADDR, topics: [`0x${"11".repeat(32)}`], data: "0x", blockNumber: "7" }],
  input: "0x12345678",
  from: "0x1111111111111111111111111111111111111111",
  to: ADDR,
  transactionProof: null,
  receiptProof: null,
  message: "Success",
  statusOK: true,
};

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const hits = new Map<string, number>();

function send(res: ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": type });
  res.end(typeof body === "string" && type !== "application/json" ? body : JSON.stringify(body));
}

async function handler(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
  const u = new URL(req.url ?? "/", "http://x");
  const path = u.pathname.replace(/^\/WeBASE-Front/, "");
  seen.push({ method: req.method ?? "", url: `${path}${u.search}`, body });
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);

  if (path === "/group0/web3/blockNumber") return send(res, 200, "12", "text/plain");
  if (path === "/group0/web3/blockByNumber/3" || path === `/group0/web3/blockByHash/${TX}`) {
    return send(res, 200, {
      number: 3,
      hash: TX,
      parentHash: `0x${"00".repeat(32)}`,
      timestamp: 1700000000123,
      transactions: [{ hash: TX }],
    });
  }
  if (path === `/group0/web3/transaction/${TX}`)
    return send(res, 200, {
      hash: TX,
      from: ADDR,
      to: ADDR,
      input: "0x",
      nonce: "123",
      blockLimit: 500,
      chainID: "chain0",
      groupID: "group0",
    });
  if (path === `/group0/web3/transactionReceipt/${TX}`) return send(res, 200, RECEIPT_3X);
  if (path.startsWith("/group0/web3/transactionReceipt/")) return send(res, 200, "", "text/plain");
  if (path === "/group0/web3/transReceipt/batchByNumber/7") return send(res, 200, [RECEIPT_3X]);
  if (path === "/group0/web3/flaky") {
    if (n === 1) return req.socket.destroy();
    return send(res, 200, "1", "text/plain");
  }
  if (path === "/group0/web3/blockByNumber/999") return; // never answers (timeout)
  if (path === "/privateKey") {
    if (u.searchParams.get("userName") === "dup")
      return send(res, 422, { code: 201038, errorMessage: "user name already exists", data: null });
    return send(res, 200, {
      address: ADDR,
      publicKey: "0x04aa",
      privateKey: "enc",
      userName: u.searchParams.get("userName"),
      type: 0,
      groupId: "group0",
    });
  }
  if (path === "/privateKey/import")
    return send(res, 200, { address: ADDR, userName: u.searchParams.get("userName"), type: 0 });
  if (path === "/privateKey/localKeyStores")
    return send(res, 200, [{ address: ADDR, userName: "alliance", type: 0 }]);
  if (path === "/contract/deploy") {
    const b = body as { contractName: string };
    if (b.contractName === "Quoted") return send(res, 200, `"${ADDR}"`, "text/plain");
    if (b.contractName === "Bad")
      return send(res, 422, { code: 201014, errorMessage: "contract deploy error", data: "revert" });
    if (b.contractName === "Weird") return send(res, 500, { code: 101001, message: "system error" });
    return send(res, 200, ADDR, "text/plain");
  }
  if (path === "/trans/handle") {
    const b = body as { funcName: string };
    if (b.funcName === "get") return send(res, 200, ["42", "true", ADDR]);
    if (b.funcName === "boom")
      return send(res, 200, ["Call contract return error: execution reverted 0x12345678aa"]);
    if (b.funcName === "set") return send(res, 200, RECEIPT_3X);
    if (b.funcName === "fail")
      return send(res, 200, {
        ...RECEIPT_3X,
        status: 16,
        statusOK: false,
        output: "0xdeadbeef",
        message: "revert",
      });
    if (b.funcName === "drop") return req.socket.destroy();
    if (b.funcName === "plainerror") return send(res, 400, "Bad Request", "text/plain");
  }
  if (path === "/event/eventLogs/list") {
    const b = body as { topics: { eventName: string } };
    if (b.topics.eventName.startsWith("Nope"))
      return send(res, 200, { code: 201019, message: "request function is error", data: null });
    return send(res, 200, {
      code: 0,
      message: "success",
      data: [
        {
          log: { logIndex: 0, transactionHash: TX, blockNumber: 7, address: ADDR, data: "0x", topics: [] },
          data: ["1"],
        },
      ],
      totalCount: 1,
    });
  }
  send(res, 404, { code: 404, errorMessage: `no route ${path}` });
}

beforeAll(async () => {
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/WeBASE-Front/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
  hits.clear();
});

const ABI = [
  { type: "event", name: "Set", inputs: [{ name: "v", type: "uint256", indexed: false }], anonymous: false },
];

describe("WebaseFrontClient", () => {
  it("reads block number, blocks, transactions, receipts", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    expect(c.groupId).toBe("group0");
    expect(await c.blockNumber()).toBe(12);
    const b = await c.blockByNumber(3n);
    expect(b?.number).toBe(3);
    expect(b?.timestamp).toBe(1700000000123);
    expect((await c.blockByHash(TX))?.hash).toBe(TX);
    expect((await c.transaction(TX))?.chainID).toBe("chain0");
    const r = await c.transactionReceipt(TX);
    expect(r?.statusOK).toBe(true);
    expect(r?.status).toBe(0);
    expect(r?.blockNumber).toBe(7);
    expect(r?.logEntries[0]).toMatchObject({ address: ADDR, logIndex: 0, transactionHash: TX });
    expect(await c.transactionReceipt(`0x${"99".repeat(32)}`)).toBeNull();
    const list = await c.receiptsByBlock(7);
    expect(list).toHaveLength(1);
    expect(list[0]?.transactionHash).toBe(TX);
    expect(seen.map((s) => s.url)).toContain("/group0/web3/blockByNumber/3");
  });

  it("manages WeBASE-held keys with type=0 and groupId", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    const k = await c.createKey("hospital-1");
    expect(k.address).toBe(ADDR);
    expect(seen[0]?.url).toBe("/privateKey?type=0&userName=hospital-1&groupId=group0");
    await c.importKey("0xabc", "alliance");
    expect(seen[1]?.url).toBe("/privateKey/import?privateKey=0xabc&userName=alliance&groupId=group0");
    expect((await c.listKeys())[0]?.userName).toBe("alliance");
    expect(seen[2]?.url).toBe("/privateKey/localKeyStores?groupId=group0");
    const err = await c.createKey("dup").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebaseError);
    expect(err).toMatchObject({
      httpStatus: 422,
      code: 201038,
      errorMessage: "user name already exists",
      data: null,
    });
  });

  it("deploys (bare or quoted text) and sends the documented body", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    const abi = [{ type: "constructor", inputs: [] }];
    expect(await c.deploy({ user: ADDR, contractName: "A", abi, bytecode: "0x6080", params: ["1"] })).toBe(
      ADDR,
    );
    expect(seen[0]?.body).toEqual({
      groupId: "group0",
      user: ADDR,
      contractName: "A",
      abiInfo: abi,
      bytecodeBin: "6080",
      funcParam: ["1"],
    });
    expect(await c.deploy({ user: ADDR, contractName: "Quoted", abi, bytecode: "6080" })).toBe(ADDR);
    await expect(c.deploy({ user: ADDR, contractName: "Bad", abi, bytecode: "6080" })).rejects.toMatchObject({
      httpStatus: 422,
      code: 201014,
      errorMessage: "contract deploy error",
      data: "revert",
    });
    // falls back to `message` when there is no errorMessage
    await expect(
      c.deploy({ user: ADDR, contractName: "Weird", abi, bytecode: "6080" }),
    ).rejects.toMatchObject({ httpStatus: 500, code: 101001, errorMessage: "system error" });
  });

  it("calls and sends through /trans/handle", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    expect(await c.call({ address: ADDR, abi: ABI, funcName: "get", params: ["1"] })).toEqual([
      "42",
      "true",
      ADDR,
    ]);
    expect(seen[0]?.body).toEqual({
      groupId: "group0",
      user: "",
      contractName: "",
      contractAddress: ADDR,
      funcName: "get",
      contractAbi: ABI,
      funcParam: ["1"],
      useCns: false,
    });
    const err = (await c
      .call({ address: ADDR, abi: ABI, funcName: "boom" })
      .catch((e: unknown) => e)) as CallRevertError;
    expect(err).toBeInstanceOf(CallRevertError);
    expect(err.reason).toBe("execution reverted 0x12345678aa");
    expect(err.revertData).toBe("0x12345678aa");
    const ok = await c.send({ user: ADDR, address: ADDR, abi: ABI, funcName: "set", params: ["5"] });
    expect(ok.statusOK).toBe(true);
    const bad = await c.send({ user: ADDR, address: ADDR, abi: ABI, funcName: "fail" });
    expect(bad).toMatchObject({ statusOK: false, status: 16, output: "0xdeadbeef" });
    await expect(c.call({ address: ADDR, abi: ABI, funcName: "set" })).rejects.toThrow(/not a view function/);
    await expect(c.send({ user: ADDR, address: ADDR, abi: ABI, funcName: "get" })).rejects.toThrow(
      /expected a transaction receipt/,
    );
    await expect(
      c.send({ user: ADDR, address: ADDR, abi: ABI, funcName: "plainerror" }),
    ).rejects.toMatchObject({ httpStatus: 400, errorMessage: "Bad Request" });
  });

  it("reads event logs and turns a BaseResponse failure into WebaseError", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    const items = await c.eventLogs({
      contractAddress: ADDR,
      abi: ABI,
      fromBlock: 1,
      toBlock: 7,
      eventName: "Set",
    });
    expect(items[0]?.data).toEqual(["1"]);
    expect(seen[0]?.body).toEqual({
      groupId: "group0",
      contractAddress: ADDR,
      contractAbi: ABI,
      fromBlock: 1,
      toBlock: 7,
      topics: { eventName: "Set(uint256)" },
    });
    await expect(
      c.eventLogs({ contractAddress: ADDR, abi: ABI, fromBlock: 1, toBlock: 7, eventName: "Nope(uint256)" }),
    ).rejects.toMatchObject({
      code: 201019,
      errorMessage: "request function is error",
    });
  });

  it("retries an idempotent GET once after a network error, never a transaction", async () => {
    const c = new WebaseFrontClient({ baseUrl: base });
    // blockNumber's route is fixed; exercise the retry through a custom fetch that rewrites to the flaky route
    const flaky = new WebaseFrontClient({
      baseUrl: base,
      fetch: (url, init) => fetch(String(url).replace("/web3/blockNumber", "/web3/flaky"), init),
    });
    expect(await flaky.blockNumber()).toBe(1);
    expect(hits.get("/group0/web3/flaky")).toBe(2);
    const err = await c
      .send({ user: ADDR, address: ADDR, abi: ABI, funcName: "drop" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebaseNetworkError);
    expect(err).toBeInstanceOf(WebaseError);
    expect(hits.get("/trans/handle")).toBe(1);
  });

  it("times out and reports a network error", async () => {
    const c = new WebaseFrontClient({ baseUrl: base, timeoutMs: 150 });
    const t0 = Date.now();
    const err = (await c.blockByNumber(999).catch((e: unknown) => e)) as WebaseNetworkError;
    expect(err).toBeInstanceOf(WebaseNetworkError);
    expect(err.httpStatus).toBe(0);
    expect(err.errorMessage).toMatch(/timed out/);
    expect(hits.get("/group0/web3/blockByNumber/999")).toBe(2);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("reports a refused connection as WebaseNetworkError", async () => {
    const c = new WebaseFrontClient({ baseUrl: "http://127.0.0.1:9/WeBASE-Front", timeoutMs: 2000 });
    await expect(c.blockNumber()).rejects.toBeInstanceOf(WebaseNetworkError);
  });
});
