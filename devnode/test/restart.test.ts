// Durability: everything a client saw survives a restart from the same data dir, bit for bit.
import { afterAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import { REVERTER_ABI, REVERTER_BIN, UNAUTHORIZED_SELECTOR } from "./bytecode.ts";
import { ABI, GROUP, client, recordingLogger, start, tempDir } from "./helpers.ts";

async function snapshot(base: string, contract: string, user: string) {
  const c = client(base);
  const head = Number((await c.get(`/${GROUP}/web3/blockNumber`)).text);
  const blocks = [];
  const receipts = [];
  const txs = [];
  for (let n = 0; n <= head; n++) {
    const b = (await c.get(`/${GROUP}/web3/blockByNumber/${n}`)).json;
    blocks.push(b);
    for (const t of b.transactions) {
      txs.push((await c.get(`/${GROUP}/web3/transaction/${t.hash}`)).json);
      receipts.push((await c.get(`/${GROUP}/web3/transactionReceipt/${t.hash}`)).json);
    }
  }
  const value = (await c.handle(user, contract, "get")).json;
  const keys = (await c.get(`/privateKey/localKeyStores`)).json;
  const events = (
    await c.post("/event/eventLogs/list", {
      groupId: GROUP,
      contractAddress: contract,
      contractAbi: ABI,
      fromBlock: 1,
      toBlock: head,
      topics: { eventName: "ValueSet(address,uint256,string)" },
    })
  ).json;
  return { head, blocks, receipts, txs, value, keys, events };
}

describe("restart from the same data dir", () => {
  const tmp = tempDir();
  let node: Devnode | undefined;
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("gives identical block hashes, receipts and state, and the chain goes on", async () => {
    node = await start(tmp.dir);
    let c = client(node.url);
    const alice = await c.createKey("alice");
    const bob = await c.createKey("bob");
    const contract = await c.deploy(alice.address);
    for (const [who, v] of [
      [alice, "1"],
      [bob, "2"],
      [alice, "13"],
      [bob, "3"],
    ] as const) {
      const r = await c.handle(who.address, contract, "set", [v, `note ${v}`]);
      expect(r.status).toBe(200);
      expect(r.json.statusOK).toBe(v !== "13");
    }
    const reverter = await c.deploy(bob.address, REVERTER_ABI, REVERTER_BIN, [
      "1",
      "0x" + "00".repeat(32),
      "true",
      bob.address,
      "s",
      "[]",
    ]);
    const failed = await c.handle(alice.address, reverter, "poke", [], REVERTER_ABI);
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json.status).toBe(16);
    expect(failed.json.output.startsWith(UNAUTHORIZED_SELECTOR)).toBe(true);
    // java-sdk's ReceiptParser names only Error(string); a custom error reads as the status text
    expect(failed.json.message).toBe("Revert instruction");

    const before = await snapshot(node.url, contract, alice.address);
    expect(before.head).toBe(7);
    expect(before.value).toEqual(["3"]);
    // blocks are timed in ms and strictly increasing
    const times = before.blocks.map((b: { timestamp: number }) => b.timestamp);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    expect(Math.abs(times[times.length - 1]! - Date.now())).toBeLessThan(60_000);

    await node.close();
    const logger = recordingLogger();
    node = await start(tmp.dir, logger);
    expect(logger.lines.some((l) => l.includes("replayed 7 blocks (7 transactions)"))).toBe(true);
    c = client(node.url);
    const after = await snapshot(node.url, contract, alice.address);
    expect(after).toEqual(before);
    // The revert data survives the restart: a client decodes the custom error from `output`.
    const rc = (await c.get(`/${GROUP}/web3/transactionReceipt/${failed.json.transactionHash}`)).json;
    expect(rc.output).toBe(failed.json.output);

    const next = await c.handle(bob.address, contract, "set", ["4", "after restart"]);
    expect(next.json.blockNumber).toBe(8);
    const b8 = (await c.get(`/${GROUP}/web3/blockByNumber/8`)).json;
    expect(b8.parentInfo[0].blockHash).toBe(before.blocks[7].hash);
    expect(b8.timestamp).toBeGreaterThan(before.blocks[7].timestamp);
    expect((await c.handle(bob.address, contract, "get")).json).toEqual(["4"]);
  });
});
