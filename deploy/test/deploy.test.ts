import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { silentLogger, startDevnode } from "@yyl/devnode";
import { ContractHandle, WebaseFrontClient } from "@yyl/sdk";
import { AllianceRegistry } from "@yyl/contracts";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployAll, readDeployment } from "../src/index.ts";

let dir: string;
let devnode: Awaited<ReturnType<typeof startDevnode>>;
let client: WebaseFrontClient;
const admin = Wallet.createRandom();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "yyl-deploy-"));
  devnode = await startDevnode({ dataDir: path.join(dir, "devnode"), port: 0, logger: silentLogger });
  client = new WebaseFrontClient({ baseUrl: devnode.url });
});
afterAll(async () => {
  await devnode?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("deployAll", () => {
  const opts = () => ({ client, network: "unit", groupId: "group0", chainId: 20200, admins: [admin.address], file: path.join(dir, "unit.json") });

  it("deploys both contracts wired together and records them", async () => {
    const { deployment, deployed } = await deployAll(opts());
    expect(deployed).toBe(true);
    const onDisk = await readDeployment(opts().file);
    expect(onDisk).toEqual(deployment);
    const registry = new ContractHandle(client, { ...AllianceRegistry, address: deployment.contracts.AllianceRegistry.address }, deployment.alliance.address);
    expect(await registry.call("isAdmin", [admin.address])).toBe(true);
    expect(String(await registry.call("owner"))).toBe(deployment.alliance.address);
    expect(deployment.genesisHash).toBe((await client.blockByNumber(0))!.hash);
  });

  it("does nothing the second time, unless forced", async () => {
    const first = JSON.parse(await readFile(opts().file, "utf8"));
    const head = await client.blockNumber();
    const again = await deployAll(opts());
    expect(again.deployed).toBe(false);
    expect(await client.blockNumber()).toBe(head);
    expect(JSON.parse(await readFile(opts().file, "utf8"))).toEqual(first);

    const forced = await deployAll({ ...opts(), force: true });
    expect(forced.deployed).toBe(true);
    expect(forced.deployment.contracts.AllianceRegistry.address).not.toBe(first.contracts.AllianceRegistry.address);
    expect(forced.deployment.alliance.address).toBe(first.alliance.address);
  });

  it("deploys again when the recorded chain is gone", async () => {
    const other = await startDevnode({ dataDir: path.join(dir, "other"), port: 0, logger: silentLogger });
    try {
      const r = await deployAll({ ...opts(), client: new WebaseFrontClient({ baseUrl: other.url }) });
      expect(r.deployed).toBe(true);
    } finally {
      await other.close();
    }
  });
});
