// @yyl/devnode: a WeBASE-Front 3.x compatible server (the REST subset in
// shared/reference/webase-front-api.md) on an in-process EVM, durable through a block journal.
import { promises as fsp } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "./app.ts";
import { Chain } from "./chain/chain.ts";
import { Queries } from "./chain/queries.ts";
import { Sealer } from "./chain/sealer.ts";
import { systemConfig } from "./chain/system-config.ts";
import { BASE_PATH, Router } from "./http.ts";
import { Aes, DEFAULT_AES_KEY } from "./keys/aes.ts";
import { KeyStore } from "./keys/keystore.ts";
import { lockDataDir } from "./lock.ts";
import { consoleLogger, type Logger } from "./logger.ts";
import { contractRoutes } from "./routes/contract.ts";
import { eventRoutes } from "./routes/event.ts";
import { keyRoutes } from "./routes/keys.ts";
import { transRoutes } from "./routes/trans.ts";
import { web3Routes } from "./routes/web3.ts";

export { JournalError } from "./chain/journal.ts";
export type { Logger } from "./logger.ts";
export { consoleLogger, silentLogger } from "./logger.ts";
export { DEFAULT_AES_KEY } from "./keys/aes.ts";

export interface DevnodeOptions {
  dataDir: string;
  host?: string;
  /** 0 = a random free port */
  port?: number;
  groupId?: string;
  /** EVM chain id (the CHAINID opcode and EIP-155 signatures); fixed for a data dir once created */
  chainId?: number;
  logger?: Logger;
  /**
   * Transactions wait this long (ms, from the first one pending) to be sealed together in one block,
   * as FISCO BCOS seals blocks of many transactions. 0: each transaction at once in a block of its own.
   * Default 300.
   */
  blockIntervalMs?: number;
  /** WeBASE's constant.aesKey: private keys are AES-encrypted with it at rest and in answers */
  aesKey?: string;
  /** feature_evm_timestamp on: EVM block.timestamp in seconds (headers stay ms); fixed for a data dir */
  featureEvmTimestamp?: boolean;
  /** what /web3/encrypt answers: 0 ECDSA (default), 1 SM — only the answer; the EVM stays keccak/secp256k1 */
  cryptoType?: 0 | 1;
}

export interface Devnode {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_CHAIN_ID = 20200;
export const DEFAULT_BLOCK_INTERVAL_MS = 300;

export async function startDevnode(opts: DevnodeOptions): Promise<Devnode> {
  const logger = opts.logger ?? consoleLogger;
  const host = opts.host ?? "127.0.0.1";
  const groupId = opts.groupId ?? "group0";
  const chainId = opts.chainId ?? DEFAULT_CHAIN_ID;
  const intervalMs = opts.blockIntervalMs ?? DEFAULT_BLOCK_INTERVAL_MS;
  if (!Number.isInteger(intervalMs) || intervalMs < 0)
    throw new Error(`blockIntervalMs must be ≥ 0, got ${intervalMs}`);
  const aes = new Aes(opts.aesKey ?? DEFAULT_AES_KEY);

  await fsp.mkdir(opts.dataDir, { recursive: true });
  const lock = await lockDataDir(opts.dataDir, logger);
  let chain: Chain | undefined;
  try {
    const keys = await KeyStore.open(opts.dataDir, aes);
    chain = await Chain.open({
      dataDir: opts.dataDir,
      chainId,
      logger,
      evmTimestampSeconds: opts.featureEvmTimestamp ?? false,
    });
    const sealer = new Sealer(chain, intervalMs);
    const app: App = {
      chain,
      queries: new Queries(chain),
      sealer,
      keys,
      groupId,
      logger,
      cryptoType: opts.cryptoType ?? 0,
      systemConfig: systemConfig({
        gasLimit: chain.header.gasLimit,
        web3ChainId: chain.header.chainId,
        evmTimestampSeconds: chain.header.evmTimestampSeconds,
      }),
    };

    const router = new Router();
    keyRoutes(router, app);
    contractRoutes(router, app);
    transRoutes(router, app);
    web3Routes(router, app);
    eventRoutes(router, app);

    const server = http.createServer((req, res) => {
      void router.handle(req, res, logger);
    });
    // The server must never be the one to close an idle keep-alive connection. With Node's default
    // (5 s) a client may reuse a connection at the very moment the server times it out — likely when
    // the event loop stalls under tests that run heavy clients in this process — and get "fetch failed".
    // 0 disables the timeout and drops the `Keep-Alive: timeout=5` hint, so clients (undici: 4 s idle)
    // close idle connections first. close() below still ends idle connections at once.
    server.keepAliveTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 5002, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const url = `http://${urlHost}:${port}${BASE_PATH}`;
    logger.info(
      `WeBASE-Front devnode at ${url} (group ${groupId}, chainId ${chainId}, blocks every ${intervalMs} ms, ` +
        `data ${opts.dataDir})`,
    );

    const openChain = chain;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      close() {
        closing ??= (async () => {
          // Stop accepting requests, let in-flight ones finish (their blocks sealed and journaled), then close.
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          // Without a keep-alive timeout, connections that finish their request stay open: end each one
          // as soon as it is idle, and any still busy after 5 s.
          server.closeIdleConnections();
          const sweep = setInterval(() => server.closeIdleConnections(), 25);
          const force = setTimeout(() => server.closeAllConnections(), 5_000);
          await closed;
          clearInterval(sweep);
          clearTimeout(force);
          await sealer.flush();
          await openChain.close();
          await lock.release();
        })();
        return closing;
      },
    };
  } catch (e) {
    await chain?.close().catch(() => {});
    await lock.release();
    throw e;
  }
}
