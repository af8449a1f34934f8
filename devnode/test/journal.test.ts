// The journal: a torn last line is dropped with a warning; any other damage stops start-up clearly.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import { GROUP, client, recordingLogger, start, tempDir } from "./helpers.ts";

const journalOf = (dir: string) => path.join(dir, "journal.ndjson");

/** A data dir holding a deployed contract and one transaction (blocks 1 and 2). */
async function seed(dir: string): Promise<{ contract: string; user: string; head: string }> {
  const node = await start(dir);
  const c = client(node.url);
  const { address: user } = await c.createKey("seed");
  const contract = await c.deploy(user);
  await c.handle(user, contract, "set", ["7", "seven"]);
  const head = (await c.get(`/${GROUP}/web3/blockByNumber/2`)).json.hash as string;
  await node.close();
  return { contract, user, head };
}

describe("journal", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });
  const fresh = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
  const started = async (dir: string, logger = recordingLogger()) => {
    const node: Devnode = await start(dir, logger);
    cleanups.push(() => node.close());
    return node;
  };

  it("has a header line and one fsynced line per sealed block", async () => {
    const dir = fresh();
    await seed(dir);
    const lines = readFileSync(journalOf(dir), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      kind: "genesis",
      version: 2,
      chainId: 20200,
      hardfork: "london",
      gasLimit: 3_000_000_000,
    });
    expect(lines.slice(1).map((l) => [l.kind, l.n, l.txs.length])).toEqual([
      ["block", 1, 1],
      ["block", 2, 1],
    ]);
    expect(lines[2].txs[0].raw).toMatch(/^0x[0-9a-f]+$/);
    expect(lines[2].ts).toBeGreaterThan(lines[1].ts);
  });

  it("ignores a torn last line with a warning and keeps going", async () => {
    const dir = fresh();
    const { contract, user, head } = await seed(dir);
    const intact = readFileSync(journalOf(dir), "utf8");
    appendFileSync(journalOf(dir), '{"kind":"tx","n":3,"ts":17954');

    const logger = recordingLogger();
    const node = await started(dir, logger);
    expect(logger.lines.some((l) => l.startsWith("warn") && l.includes("torn last line"))).toBe(true);
    // the torn tail is cut off, so the next append starts on a clean line
    expect(readFileSync(journalOf(dir), "utf8")).toBe(intact);
    const c = client(node.url);
    expect((await c.get(`/${GROUP}/web3/blockNumber`)).text).toBe("2");
    expect((await c.get(`/${GROUP}/web3/blockByNumber/2`)).json.hash).toBe(head);
    expect((await c.handle(user, contract, "get")).json).toEqual(["7"]);
    const r = await c.handle(user, contract, "set", ["8", "eight"]);
    expect(r.json.blockNumber).toBe(3);
    await node.close();

    const again = await started(dir);
    expect((await client(again.url).handle(user, contract, "get")).json).toEqual(["8"]);
  });

  it("stops start-up on a damaged line in the middle", async () => {
    const dir = fresh();
    await seed(dir);
    const lines = readFileSync(journalOf(dir), "utf8").split("\n");
    lines[1] = "this is not json";
    writeFileSync(journalOf(dir), lines.join("\n"));
    await expect(start(dir)).rejects.toThrow(/journal\.ndjson line 2 is not valid JSON/);
  });

  it("stops start-up when a complete last line is not valid JSON", async () => {
    const dir = fresh();
    await seed(dir);
    appendFileSync(journalOf(dir), "{broken}\n");
    await expect(start(dir)).rejects.toThrow(/line 4 is not valid JSON/);
  });

  it("stops start-up when replay diverges from what was recorded", async () => {
    const dir = fresh();
    await seed(dir);
    const lines = readFileSync(journalOf(dir), "utf8").trimEnd().split("\n");
    const e = JSON.parse(lines[2]!);
    e.ts += 1; // a different block time gives a different block hash
    lines[2] = JSON.stringify(e);
    writeFileSync(journalOf(dir), lines.join("\n") + "\n");
    await expect(start(dir)).rejects.toThrow(/replaying block 2 gave a different block hash/);
    // a failed start releases the data dir
    lines.length = 2;
    writeFileSync(journalOf(dir), lines.join("\n") + "\n");
    const node = await started(dir);
    expect((await client(node.url).get(`/${GROUP}/web3/blockNumber`)).text).toBe("1");
  });

  it("refuses another chainId for an existing data dir", async () => {
    const dir = fresh();
    await seed(dir);
    await expect(start(dir, recordingLogger(), 1234)).rejects.toThrow(/created with chainId 20200/);
  });

  it("refuses a second devnode on the same data dir", async () => {
    const dir = fresh();
    await started(dir);
    await expect(start(dir)).rejects.toThrow(/already used by a devnode/);
  });
});
