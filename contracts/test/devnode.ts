/**
 * The devnode under the contract tests and gas scenarios: a real WeBASE-Front HTTP API in-process, in a
 * temporary data dir that goes away with it. Test files share one devnode across their tests (each test
 * deploys its own contracts, so they stay independent); gas scenarios each start one of their own.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { silentLogger, startDevnode } from "@yyl/devnode";
import { WebaseFrontClient } from "@yyl/sdk";

export interface Chain {
  url: string;
  client: WebaseFrontClient;
  close(): Promise<void>;
}

/** Starts a devnode in a temporary data dir; `close` stops it and removes the dir. */
export async function startChain(): Promise<Chain> {
  const dataDir = await mkdtemp(join(tmpdir(), "yyl-contracts-"));
  // Instant mode (a block per transaction, sealed at once) keeps the contract tests fast; the API and
  // browser tests run the devnode in its batching mode.
  const node = await startDevnode({ dataDir, port: 0, logger: silentLogger, blockIntervalMs: 0 });
  const client = new WebaseFrontClient({ baseUrl: node.url });
  return {
    url: node.url,
    client,
    async close() {
      await node.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One devnode for the calling test file: started in `beforeAll`, closed in `afterAll`. Call it at the top
 * level of the file. The returned Chain forwards to the started devnode, so tests can hold it in a
 * module-level const although the devnode only exists once the hooks have run.
 */
export function chainPerTestFile(): Chain {
  let started: Chain | undefined;
  beforeAll(async () => {
    started = await startChain();
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): Chain => {
    if (!started) throw new Error("the devnode starts in beforeAll: use the chain inside hooks and tests");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get client() {
      return current().client;
    },
    close: () => current().close(),
  };
}

/** Runs `use` on a devnode of its own and stops the devnode afterwards, whether `use` succeeds or not. */
export async function withFreshChain<T>(use: (chain: Chain) => Promise<T>): Promise<T> {
  const chain = await startChain();
  try {
    return await use(chain);
  } finally {
    await chain.close();
  }
}
