// Runs the devnode from the environment: DEVNODE_HOST (127.0.0.1), DEVNODE_PORT (5002),
// DEVNODE_DATA_DIR (.data/devnode, relative to the repo root), DEVNODE_CHAIN_ID (20200), DEVNODE_GROUP_ID (group0),
// DEVNODE_BLOCK_INTERVAL_MS (300; 0 = one block per transaction, at once), DEVNODE_AES_KEY (WeBASE's default
// constant.aesKey), DEVNODE_FEATURE_EVM_TIMESTAMP (0; 1 = block.timestamp in seconds, for a new data dir),
// DEVNODE_CRYPTO_TYPE (0; 1 makes /web3/encrypt answer SM, to test clients that refuse SM groups).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startDevnode } from "./index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const env = process.env;

function intEnv(name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
}

function flagEnv(name: string): boolean {
  const n = intEnv(name, 0);
  if (n > 1) {
    console.error(`${name} must be 0 or 1, got ${n}`);
    process.exit(2);
  }
  return n === 1;
}

const dataDir = path.resolve(repoRoot, env.DEVNODE_DATA_DIR || ".data/devnode");

try {
  const node = await startDevnode({
    dataDir,
    host: env.DEVNODE_HOST || "127.0.0.1",
    port: intEnv("DEVNODE_PORT", 5002),
    chainId: intEnv("DEVNODE_CHAIN_ID", 20200),
    blockIntervalMs: intEnv("DEVNODE_BLOCK_INTERVAL_MS", 300),
    ...(env.DEVNODE_AES_KEY ? { aesKey: env.DEVNODE_AES_KEY } : {}),
    featureEvmTimestamp: flagEnv("DEVNODE_FEATURE_EVM_TIMESTAMP"),
    cryptoType: flagEnv("DEVNODE_CRYPTO_TYPE") ? 1 : 0,
    groupId: env.DEVNODE_GROUP_ID || "group0",
  });
  console.log(node.url);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[devnode] ${signal}: stopping`);
    node.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (e) {
  console.error(`[devnode] cannot start: ${(e as Error).message}`);
  process.exit(1);
}
