// @yyl/devnode: a WeBASE-Front 3.x compatible server (the REST subset in
// shared/reference/webase-front-api.md) on an in-process EVM, durable through a transaction journal.
import { promises as fsp } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "./app.ts";
import { Chain } from "./chain/chain.ts";
import { Queries } from "./chain/queries.ts";
import { Sealer } from "./chain/sealer.ts";
import { systemConfig } from "./chain/system-config.ts";
import { Aes, DEFAULT_AES_KEY } from "./keys/aes.ts";
import { BASE_PATH, Router } from "./http.ts";
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

export interface DevnodeOptions {
  dataDir: string;
  host?: string;
  /** 0 = a random free port */
  port?: number;
  groupId?: string;
  /** EVM chain id (the CHAINID opcode and EIP-155 signatures); fixed for a data dir once created */
  chainId?: number;
  logger?: Logger;
  /** How long transactions gather before a block is sealed (FISCO PBFT seals blocks of many); 0 seals
   *  each transaction alone at once. Default 300. */
  blockIntervalMs?: number;
  /** WeBASE-Front's `constant.aesKey`: private keys are returned and kept encrypted under it. */
  aesKey?: string;
  /** A new data dir's `feature_evm_timestamp` (block.timestamp in seconds in the EVM). */
  evmTimestampSeconds?: boolean;
  /** What `/web3/encrypt` answers: 0 ECDSA (default), 1 SM (the EVM stays keccak/secp256k1). */
  cryptoType?: 0 | 1;
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
    const keys = await KeyStore.open(opts.dataDir, new Aes(opts.aesKey ?? DEFAULT_AES_KEY));
    chain = await Chain.open({ dataDir: opts.dataDir, chainId, logger, evmTimestampSeconds: opts.evmTimestampSeconds ?? false });
    const sealer = new Sealer(chain, opts.blockIntervalMs ?? 300);
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
    // Clients share this process in the tests: with Node's 5 s keep-alive the server could close an idle
    // socket just as a client whose event loop stalled reuses it ("fetch failed"). With none (and so no
    // Keep-Alive hint), the client's own idle limit (undici: 4 s) always closes first.
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
