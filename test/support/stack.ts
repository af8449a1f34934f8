import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { deployAll } from "@yyl/deploy";
import { startDevnode } from "@yyl/devnode";
import { silentLogger } from "@yyl/devnode";
import { WebaseFrontClient } from "@yyl/sdk";
import { Wallet } from "ethers";
import { pino } from "pino";
import { createApp, type App } from "../../server/src/app.ts";
import { loadConfig } from "../../server/src/config.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

// The whole system for one test file: a devnode over real HTTP in a temporary directory, the contracts
// deployed through it, a fresh database, and the API listening on a real socket.

export interface Stack {
  baseUrl: string;
  webaseUrl: string;
  app: App;
  db: TestDatabase;
  admin: Wallet;
  close(): Promise<void>;
}

/** The devnode's block interval under the API and browser tests (above 0: batching mode). */
export const TEST_BLOCK_INTERVAL_MS = Number(process.env.TEST_BLOCK_INTERVAL_MS ?? 50);

export async function startStack(
  opts: { webDist?: string; env?: Record<string, string> } = {},
): Promise<Stack> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "yyl-stack-"));
  // Blocks sealed on an interval, several transactions each, as FISCO BCOS's PBFT seals them: the code
  // under test must not rely on one transaction per block or on an instant receipt.
  const devnode = await startDevnode({
    dataDir: path.join(dir, "devnode"),
    port: 0,
    logger: silentLogger,
    blockIntervalMs: TEST_BLOCK_INTERVAL_MS,
  });
  const admin = Wallet.createRandom() as unknown as Wallet;
  const client = new WebaseFrontClient({ baseUrl: devnode.url, groupId: "group0" });
  const deploymentFile = path.join(dir, "deployment.json");
  await deployAll({
    client,
    network: "test",
    groupId: "group0",
    chainId: 20200,
    admins: [admin.address],
    file: deploymentFile,
  });
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    WEBASE_URL: devnode.url,
    DEPLOYMENT_FILE: deploymentFile,
    WEB_DIST: opts.webDist ?? path.join(dir, "no-web"),
    INDEXER_POLL_MS: "100",
    PORT: "0",
    ...opts.env,
  });
  const app = await createApp(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  const server: Server = await new Promise((resolve) => {
    const s = app.app.listen(0, "127.0.0.1", () => resolve(s));
    // The tests' fetch runs in this process too: with Node's 5 s keep-alive timeout the server may close
    // an idle socket just as a client whose event loop stalled reuses it ("fetch failed"). With none, the
    // client (undici, 4 s idle) always closes first.
    s.keepAliveTimeout = 0;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    webaseUrl: devnode.url,
    app,
    db,
    admin,
    close: async () => {
      // Every status a route answered during the file's tests must be declared in its OpenAPI entry.
      const undeclared = [...new Set(app.context.api.undeclared)];
      await new Promise((r) => server.close(r));
      server.closeAllConnections();
      await app.close();
      await devnode.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
      if (undeclared.length) throw new Error(`statuses missing from OpenAPI:\n${undeclared.join("\n")}`);
    },
  };
}
