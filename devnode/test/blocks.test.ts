// FISCO blocks of several transactions: sealed on the interval, in arrival order, one journal line each,
// answered only once journaled, replayed to identical hashes; views at the last block's time.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { AbiCoder } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import { CLOCK_ABI, CLOCK_BIN } from "./bytecode.ts";
import { ABI, GROUP, client, recordingLogger, start, tempDir } from "./helpers.ts";

const journalLines = (dir: string) =>
  readFileSync(path.join(dir, "journal.ndjson"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

const decodeClock = (hex: string) =>
  AbiCoder.defaultAbiCoder()
    .decode(["uint256", "uint256", "uint256", "address"], hex)
    .map((v) => (typeof v === "bigint" ? Number(v) : v));

async function chainSnapshot(base: string) {
  const c = client(base);
  const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
  const blocks = [];
  const receipts = [];
  for (let n = 0; n <= head; n++) {
    const b = (await c.get(`/${GROUP}/web3/blockByNumber/${n}`)).json;
    blocks.push(b);
    for (const t of b.transactions)
      receipts.push((await c.get(`/${GROUP}/web3/transactionReceipt/${t.hash}`)).json);
  }
  return { head, blocks, receipts };
}

describe("blocks of several transactions", () => {
  const tmp = tempDir();
  let node: Devnode | undefined;
  let contract = "";
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("seals concurrent transactions into one block, in arrival order, one journal line, answered after it", async () => {
    // a long interval: every request below arrives well within it, whatever the machine's speed
    node = await start(tmp.dir, recordingLogger(), undefined, { blockIntervalMs: 2_000 });
    const c = client(node.url);
    const users = [await c.createKey("u0"), await c.createKey("u1"), await c.createKey("u2")];
    let clock: string;
    [contract, clock] = await Promise.all([
      c.deploy(users[0]!.address),
      c.deploy(users[1]!.address, CLOCK_ABI, CLOCK_BIN),
    ]);
    const before = journalLines(tmp.dir).length;

    const sends = Array.from({ length: 12 }, (_, i) =>
      i % 4 === 3
        ? c.handle(users[i % 3]!.address, clock, "stamp", [], CLOCK_ABI)
        : c.handle(users[i % 3]!.address, contract, "set", [String(100 + i), `n${i}`]),
    );
    // when a request is answered, its block is already in the journal
    const answered = await Promise.all(
      sends.map((p) => p.then((r) => ({ r, lines: journalLines(tmp.dir) }))),
    );
    const n = answered[0]!.r.json.blockNumber as number;
    for (const { r, lines } of answered) {
      expect(r.json.blockNumber).toBe(n);
      expect(r.json.statusOK).toBe(true);
      expect(lines[lines.length - 1]).toMatchObject({ kind: "block", n });
    }
    const lines = journalLines(tmp.dir);
    expect(lines.length).toBe(before + 1);
    expect(lines[lines.length - 1].txs).toHaveLength(12);

    const block = (await c.get(`/${GROUP}/web3/blockByNumber/${n}`)).json;
    expect(block.transactions.map((t: { hash: string }) => t.hash).sort()).toEqual(
      answered.map((a) => a.r.json.transactionHash).sort(),
    );
    // in arrival order
    const importTimes = block.transactions.map((t: { importTime: number }) => t.importTime);
    expect(importTimes).toEqual([...importTimes].sort((a, b) => a - b));
    expect(Math.max(...importTimes)).toBeLessThanOrEqual(block.timestamp);
    expect(block.parentInfo[0].blockNumber).toBe(n - 1);

    // every transaction of the block saw the block's timestamp; each ran in an EVM sub-block of its own
    const stamps = answered.filter((a) => a.r.json.to === clock).map((a) => decodeClock(a.r.json.output));
    expect(stamps).toHaveLength(3);
    for (const s of stamps) expect(s[1]).toBe(block.timestamp);
    expect(new Set(stamps.map((s) => s[2])).size).toBe(3);
    // the event log numbers the transaction inside the FISCO block
    const ev = await c.post("/event/eventLogs/list", {
      groupId: GROUP,
      contractAddress: contract,
      contractAbi: ABI,
      fromBlock: n,
      toBlock: n,
      topics: { eventName: "ValueSet(address,uint256,string)" },
    });
    const txIndexes = block.transactions.map((t: { hash: string }) => t.hash);
    for (const row of ev.json.data) {
      expect(row.log.blockNumber).toBe(n);
      expect(txIndexes[row.log.transactionIndex]).toBe(row.log.transactionHash);
      expect(row.log.logIndex).toBe(0);
    }
    expect(ev.json.totalCount).toBe(9);
  });

  it("replays the block to identical hashes and state after a restart", async () => {
    const before = await chainSnapshot(node!.url);
    const value = (await client(node!.url).handle("anyone", contract, "get")).json;
    await node!.close();
    const logger = recordingLogger();
    node = await start(tmp.dir, logger);
    expect(logger.lines.some((l) => /replayed \d+ blocks \(\d+ transactions\)/.test(l))).toBe(true);
    expect(await chainSnapshot(node.url)).toEqual(before);
    expect((await client(node.url).handle("anyone", contract, "get")).json).toEqual(value);
  });

  it("runs view calls at the last block's state and time, from the zero address", async () => {
    const c = client(node!.url);
    const u = await c.createKey("clock-user");
    const clock = await c.deploy(u.address, CLOCK_ABI, CLOCK_BIN);
    const s = (await c.handle(u.address, clock, "stamp", [], CLOCK_ABI)).json;
    const header = (await c.get(`/${GROUP}/web3/blockByNumber/${s.blockNumber}`)).json;
    // let the wall clock move on past the block's time
    while (Date.now() <= header.timestamp + 5) await new Promise((r) => setTimeout(r, 5));
    const read = (await c.handle(u.address, clock, "read", [], CLOCK_ABI)).json;
    expect(read).toEqual([
      String(header.timestamp),
      String(header.timestamp),
      read[2],
      "0x" + "00".repeat(20),
    ]);
  });
});

describe("a version-1 journal", () => {
  it("replays (each line a block of one transaction), is rewritten as version 2, and the chain goes on", async () => {
    const tmp = tempDir();
    let node: Devnode | undefined;
    try {
      const fixtures = path.join(import.meta.dirname, "fixtures");
      copyFileSync(path.join(fixtures, "v1-journal.ndjson"), path.join(tmp.dir, "journal.ndjson"));
      copyFileSync(path.join(fixtures, "v1-keys.json"), path.join(tmp.dir, "keys.json"));
      const v1 = readFileSync(path.join(fixtures, "v1-journal.ndjson"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l));
      const alice = "0x79c2ffae3cd344cb8bf788af357de281d25ba315";
      const contract = "0x606c604e5aa69d6d55aaf121e29c2387cc1cd998";

      node = await start(tmp.dir);
      const c = client(node.url);
      expect((await c.get(`/${GROUP}/web3/blockNumber`)).text).toBe("4");
      for (const line of v1.slice(1)) {
        const b = (await c.get(`/${GROUP}/web3/blockByNumber/${line.n}?fullTrans=true`)).json;
        expect(b.transactions).toEqual([line.hash]);
        expect(b.timestamp).toBe(line.ts);
      }
      expect((await c.handle(alice, contract, "get")).json).toEqual(["8"]);
      const reverted = (await c.get(`/${GROUP}/web3/transactionReceipt/${v1[3].hash}`)).json;
      expect(reverted).toMatchObject({ status: 16, statusOK: false });
      // the header keeps the v1 gas limit
      expect((await c.get(`/${GROUP}/web3/systemConfigByKey/tx_gas_limit`)).text).toBe("30000000");

      const lines = journalLines(tmp.dir);
      expect(lines[0]).toMatchObject({ version: 2, gasLimit: 30_000_000, allowUnlimitedContractSize: false });
      expect(lines.slice(1).map((l) => [l.kind, l.n, l.txs.length])).toEqual(
        [1, 2, 3, 4].map((n) => ["block", n, 1]),
      );
      expect(existsSync(path.join(tmp.dir, "journal.ndjson.v1.bak"))).toBe(true);
      const before = await chainSnapshot(node.url);

      const next = await c.handle(alice, contract, "set", ["9", "nine"]);
      expect(next.json).toMatchObject({ blockNumber: 5, statusOK: true });
      await node.close();
      node = await start(tmp.dir);
      const after = await chainSnapshot(node.url);
      expect(after.blocks.slice(0, 5)).toEqual(before.blocks);
      expect((await client(node.url).handle(alice, contract, "get")).json).toEqual(["9"]);
    } finally {
      await node?.close();
      tmp.cleanup();
    }
  });
});
