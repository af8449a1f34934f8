// The chain's configuration as the real routes answer it, feature_evm_timestamp, the SM answer of
// /web3/encrypt, Spring's answers for unmapped paths and methods, and connection handling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnode } from "../src/index.ts";
import { CLOCK_ABI, CLOCK_BIN } from "./bytecode.ts";
import { GROUP, client, recordingLogger, start, tempDir } from "./helpers.ts";

describe("system config, encrypt, Spring answers", () => {
  const tmp = tempDir();
  let node: Devnode;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    node = await start(tmp.dir);
    c = client(node.url);
  });
  afterAll(async () => {
    await node?.close();
    tmp.cleanup();
  });

  it("answers systemConfigByKey as text, FISCO's genesis values, and an unset key as the node's error", async () => {
    const values: Record<string, string> = {
      tx_gas_limit: "3000000000",
      tx_count_limit: "1000",
      consensus_leader_period: "1",
      compatibility_version: "3.16.0",
      auth_check_status: "0",
      bugfix_v1_timestamp: "1",
    };
    for (const [key, value] of Object.entries(values)) {
      const res = await fetch(`${node.url}/${GROUP}/web3/systemConfigByKey/${key}`);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(value);
    }
    const unset = await c.get(`/${GROUP}/web3/systemConfigByKey/feature_evm_timestamp`);
    expect(unset.status).toBe(500);
    expect(unset.json).toEqual({
      code: 500,
      errorMessage:
        "callRemoteMethod failed for decode the message exception, error message:ErrorMessage: " +
        "Entry: feature_evm_timestamp does not exists!",
    });
    const encrypt = await c.get(`/${GROUP}/web3/encrypt`);
    expect({ status: encrypt.status, text: encrypt.text }).toEqual({ status: 200, text: "0" });
  });

  it("answers unmapped paths with Spring Boot's 404 body, whatever the method", async () => {
    for (const [method, p] of [
      ["GET", `/${GROUP}/web3/transReceipt/batchByNumber/1`],
      ["GET", "/nothing/here"],
      ["POST", "/trans/nothing"],
    ] as const) {
      const r = await c[method === "GET" ? "get" : "post"](p, {});
      expect(r.status).toBe(404);
      expect(Object.keys(r.json)).toEqual(["timestamp", "status", "error", "path"]);
      expect(r.json).toMatchObject({ status: 404, error: "Not Found", path: `/WeBASE-Front${p}` });
      expect(Number.isInteger(r.json.timestamp)).toBe(true);
    }
    // a mapped path with another method reaches WeBASE's catch-all handler
    const wrong = await c.get("/trans/handle");
    expect(wrong.status).toBe(500);
    expect(wrong.json).toEqual({ code: 500, errorMessage: "Request method 'GET' not supported" });
  });

  it("never announces a keep-alive timeout, and still stops at once with connections open", async () => {
    const res = await fetch(`${node.url}/${GROUP}/web3/blockNumber`);
    await res.text();
    expect(res.headers.get("keep-alive")).toBeNull();
    const other = tempDir();
    try {
      const n2 = await start(other.dir);
      await (await fetch(`${n2.url}/${GROUP}/web3/blockNumber`)).text(); // leaves an idle keep-alive socket
      const t0 = Date.now();
      await n2.close();
      expect(Date.now() - t0).toBeLessThan(4_000); // below the 5 s force, so it did not wait for it
    } finally {
      other.cleanup();
    }
  });
});

describe("feature_evm_timestamp and an SM answer", () => {
  it("runs the EVM in seconds while headers stay in ms, and says so", async () => {
    const tmp = tempDir();
    let node: Devnode | undefined;
    try {
      node = await start(tmp.dir, recordingLogger(), undefined, { featureEvmTimestamp: true, cryptoType: 1 });
      const c = client(node.url);
      expect((await c.get(`/${GROUP}/web3/systemConfigByKey/feature_evm_timestamp`)).text).toBe("1");
      expect((await c.get(`/${GROUP}/web3/encrypt`)).text).toBe("1");
      const u = await c.createKey("sec");
      const clock = await c.deploy(u.address, CLOCK_ABI, CLOCK_BIN);
      const s = (await c.handle(u.address, clock, "stamp", [], CLOCK_ABI)).json;
      const header = (await c.get(`/${GROUP}/web3/blockByNumber/${s.blockNumber}`)).json;
      expect(header.timestamp).toBeGreaterThan(1e12);
      const read = (await c.handle(u.address, clock, "read", [], CLOCK_ABI)).json;
      expect(read[0]).toBe(String(Math.floor(header.timestamp / 1000)));
      await node.close();
      node = undefined;
      // fixed for the data dir: EVM time cannot switch units
      await expect(start(tmp.dir)).rejects.toThrow(/feature_evm_timestamp on/);
      node = await start(tmp.dir, recordingLogger(), undefined, { featureEvmTimestamp: true });
      expect((await client(node.url).handle(u.address, clock, "read", [], CLOCK_ABI)).json).toEqual(read);
    } finally {
      await node?.close();
      tmp.cleanup();
    }
  });
});
