import type { Logger } from "pino";
import type { Api } from "./http/api.ts";
import type { Tokens } from "./auth/session.ts";
import type { AuditLog } from "./audit/audit-log.ts";
import type { ChainReadBudget } from "./access/chain-read-budget.ts";
import type { Chain } from "./chain/chain.ts";
import type { Config } from "./config.ts";
import type { KeyAuthority } from "./keys/authority.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import type { Indexer } from "./indexer/indexer.ts";

/** Everything a feature needs, built once by createApp. */
export interface AppContext {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  chain: Chain;
  api: Api;
  tokens: Tokens;
  audit: AuditLog;
  indexer: Indexer;
  /** The alliance's key authority: CP-ABE keys and the break-glass escrow key. */
  keys: KeyAuthority;
  /** Per-caller budget of record reads decided on chain. */
  chainReads: ChainReadBudget;
}
