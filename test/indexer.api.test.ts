import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deployAll } from "@yyl/deploy";
import { silentLogger, startDevnode } from "@yyl/devnode";
import { applicationTypedData, domainOf, profileHashOf, randomNonce, ROLE, signTypedData, WebaseFrontClient } from "@yyl/sdk";
import { Wallet } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/src/app.ts";
import { connectChain } from "../server/src/chain/chain.ts";
import { Indexer } from "../server/src/indexer/indexer.ts";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { startStack, TEST_BLOCK_INTERVAL_MS, type Stack } from "./support/stack.ts";

// The mirror must stay exact through replays, downtime and a chain that was replaced underneath it.

let stack: Stack;
const logger = pino({ level: "silent" });

async function mirrorCounts() {
  const p = stack.app.context.prisma;
  return { events: await p.chainEvent.count(), members: await p.member.count(), admins: await p.allianceAdmin.count() };
}

/** A patient application sent straight to the chain (not through the API), as another node's client would. */
async function applyOnChain(): Promise<{ address: string; blockNumber: number }> {
  const { chain } = stack.app.context;
  const w = Wallet.createRandom();
  const profileHash = profileHashOf({ name: "链上患者" });
  const nonce = randomNonce();
  const deadline = Date.now() + 600_000;
  const typed = applicationTypedData(domainOf("AllianceRegistry", chain.deployment.chainId, chain.registry.address), {
    applicant: w.address,
    role: ROLE.patient,
    profileHash,
    nonce,
    deadline,
  });
  const sig = await signTypedData(w, typed);
  const receipt = await chain.registry.send("applyAsPatient", [w.address, profileHash, nonce, deadline, sig]);
  return { address: w.address, blockNumber: receipt.blockNumber };
}

beforeAll(async () => {
  stack = await startStack();
  const patient = new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
  await patient.signIn();
  await patient.apply("patient", { name: "赵六" });
});
afterAll(async () => {
  await stack?.close();
});

describe("indexer", () => {
  it("replaying already indexed blocks adds nothing", async () => {
    const { prisma, indexer, chain } = stack.app.context;
    const before = await mirrorCounts();
    expect(before.events).toBeGreaterThanOrEqual(2); // AdminAdded at deployment, MemberApplied
    const block1 = (await chain.client.blockByNumber(1))!;
    await prisma.indexerCursor.update({ where: { id: "main" }, data: { blockNumber: 1, blockHash: block1.hash } });
    await indexer.tick();
    expect(await mirrorCounts()).toEqual(before);
    const cursor = await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } });
    expect(cursor.blockNumber).toBe(await chain.client.blockNumber());
  });

  it("catches up on blocks written while it was stopped, without gaps", async () => {
    const { prisma, indexer } = stack.app.context;
    await indexer.stop();
    const a = await applyOnChain();
    const b = await applyOnChain();
    expect(await prisma.member.findUnique({ where: { address: a.address } })).toBeNull();
    indexer.start();
    await indexer.waitForBlock(b.blockNumber);
    expect(await prisma.member.findUnique({ where: { address: a.address } })).toMatchObject({ status: 1, role: 1 });
    expect(await prisma.member.findUnique({ where: { address: b.address } })).toMatchObject({ status: 1, role: 1 });
    expect(indexer.status().lag).toBe(0);
  });

  it("a restarted server resumes from its cursor: nothing missed, nothing twice", async () => {
    const { config, indexer } = stack.app.context;
    await indexer.stop();
    const before = await mirrorCounts();
    const a = await applyOnChain();
    const b = await applyOnChain();
    // a second server process on the same database and chain, as after a restart
    const restarted = await createApp(config, { logger });
    try {
      await restarted.context.indexer.waitForBlock(b.blockNumber);
      const after = await mirrorCounts();
      expect(after.members).toBe(before.members + 2);
      const p = restarted.context.prisma;
      expect(await p.member.findUnique({ where: { address: a.address } })).toMatchObject({ status: 1 });
      const dupes = await p.$queryRawUnsafe<{ n: bigint }[]>(
        "SELECT COUNT(*) AS n FROM (SELECT block_number, log_index FROM chain_events GROUP BY block_number, log_index HAVING COUNT(*) > 1) d",
      );
      expect(Number(dupes[0]!.n)).toBe(0);
      expect(restarted.context.indexer.status().lag).toBe(0);
    } finally {
      await restarted.close();
    }
    stack.app.context.indexer.start();
  });

  it("a block that fails to apply leaves nothing half-written, is retried, and reports its error and lag", async () => {
    const { prisma, indexer } = stack.app.context;
    const before = await mirrorCounts();
    const cursorBefore = await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } });
    await prisma.$executeRawUnsafe("RENAME TABLE members TO members_away");
    let a: { address: string; blockNumber: number };
    try {
      a = await applyOnChain();
      await new Promise((r) => setTimeout(r, 600));
      expect(indexer.status().lastError).toBeTruthy();
      expect(indexer.status().lag).toBeGreaterThan(0);
      const cursor = await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } });
      expect(cursor.blockNumber).toBe(cursorBefore.blockNumber);
      expect(await prisma.chainEvent.count()).toBe(before.events);
    } finally {
      await prisma.$executeRawUnsafe("RENAME TABLE members_away TO members");
    }
    await indexer.waitForBlock(a.blockNumber);
    expect(await prisma.member.findUnique({ where: { address: a.address } })).toMatchObject({ status: 1 });
    expect(indexer.status()).toMatchObject({ lag: 0, lastError: null });
  });

  it("notices a replaced chain and rebuilds the mirror from it", async () => {
    const { prisma, indexer } = stack.app.context;
    await indexer.stop();
    const dir = await mkdtemp(path.join(os.tmpdir(), "yyl-reset-"));
    const fresh = await startDevnode({ dataDir: path.join(dir, "devnode"), port: 0, logger: silentLogger, blockIntervalMs: TEST_BLOCK_INTERVAL_MS });
    try {
      const admin = Wallet.createRandom();
      const file = path.join(dir, "deployment.json");
      await deployAll({ client: new WebaseFrontClient({ baseUrl: fresh.url }), network: "reset", groupId: "group0", chainId: 20200, admins: [admin.address], file });
      const chain = await connectChain({ webaseUrl: fresh.url, groupId: "group0", deploymentFile: file });
      const other = new Indexer(prisma, chain, logger, 50);
      await other.tick();
      expect(other.status().rebuilds).toBe(1);
      expect(await prisma.member.count()).toBe(0);
      expect((await prisma.allianceAdmin.findMany()).map((r) => r.address)).toEqual([admin.address]);
      const cursor = await prisma.indexerCursor.findUniqueOrThrow({ where: { id: "main" } });
      expect(cursor.blockNumber).toBe(await chain.client.blockNumber());
    } finally {
      await fresh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
