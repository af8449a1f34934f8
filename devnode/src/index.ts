// @yyl/devnode: a WeBASE-Front 3.x compatible server (the REST subset in
// shared/reference/webase-front-api.md) on an in-process EVM, durable through a transaction journal.
import { promises as fsp } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "./app.ts";
import { Chain } from "./chain.ts";
import { BASE_PATH, Router } from "./http.ts";
import { KeyStore } from "./keystore.ts";
import { lockDataDir } from "./lock.ts";
import { consoleLogger, type Logger } from "./logger.ts";
import { contractRoutes } from "./routes/contract.ts";
import { eventRoutes } from "./routes/event.ts";
import { keyRoutes } from "./routes/keys.ts";
import { transRoutes } from "./routes/trans.ts";
import { web3Routes } from "./routes/web3.ts";

export { JournalError } from "./journal.ts";
export type { Logger } from "./logger.ts";
export { consoleLogger, silentLogger } from "./logger.ts";

export interface DevnodeOptions {
  dataDir: string;
  host?: string;
  /** 0 = a random free port */
  port?: number;
  groupId?: string;
  /** EVM chain id (the CHAINID opcode and EIP-155 signatures); fixed for a data dir once created */
  chainId?: number;
  logger?: Logger;
}

export interface Devnode {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_CHAIN_ID = 20200;

export async function startDevnode(opts: DevnodeOptions): Promise<Devnode> {
  const logger = opts.logger ?? consoleLogger;
  const host = opts.host ?? "127.0.0.1";
  const groupId = opts.groupId ?? "group0";
  const chainId = opts.chainId ?? DEFAULT_CHAIN_ID;

  await fsp.mkdir(opts.dataDir, { recursive: true });
  const lock = await lockDataDir(opts.dataDir, logger);
  let chain: Chain | undefined;
  try {
    const keys = await KeyStore.open(opts.dataDir);
    chain = await Chain.open({ dataDir: opts.dataDir, chainId, logger });
    const app: App = { chain, keys, groupId, logger };

    const router = new Router();
    keyRoutes(router, app);
    contractRoutes(router, app);
    transRoutes(router, app);
    web3Routes(router, app);
    eventRoutes(router, app);

    const server = http.createServer((req, res) => {
      void router.handle(req, res, logger);
    });
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
      `WeBASE-Front devnode at ${url} (group ${groupId}, chainId ${chainId}, data ${opts.dataDir})`,
    );

    const openChain = chain;
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      close() {
        closing ??= (async () => {
          // Stop accepting requests, let in-flight ones finish (their journal writes included), then close.
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          // A client holding a keep-alive connection open must not keep us from stopping.
          const force = setTimeout(() => server.closeAllConnections(), 5_000);
          await closed;
          clearTimeout(force);
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
