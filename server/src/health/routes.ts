import { z } from "zod";
import type { AppContext } from "../context.ts";

export function registerHealthRoutes(ctx: AppContext): void {
  ctx.api.route({
    method: "get",
    path: "/health",
    summary: "Liveness of the database, the chain and the indexer",
    tags: ["system"],
    auth: false,
    response: z.object({
      status: z.enum(["ok", "degraded"]),
      db: z.boolean(),
      chain: z.object({ reachable: z.boolean(), blockNumber: z.number().nullable() }),
      indexer: z.object({ blockNumber: z.number(), lag: z.number(), lastError: z.string().nullable() }),
    }),
    handler: async () => {
      const db = await ctx.prisma.$queryRaw`SELECT 1`.then(() => true, () => false);
      const blockNumber = await ctx.chain.client.blockNumber().catch(() => null);
      const ix = ctx.indexer.status();
      const lag = blockNumber == null ? ix.lag : Math.max(0, blockNumber - ix.blockNumber);
      const ok = db && blockNumber != null && !ix.lastError;
      return {
        status: ok ? "ok" : "degraded",
        db,
        chain: { reachable: blockNumber != null, blockNumber },
        indexer: { blockNumber: ix.blockNumber, lag, lastError: ix.lastError },
      };
    },
  });

  ctx.api.route({
    method: "get",
    path: "/chain",
    summary: "Chain and contract addresses (for building EIP-712 signing domains)",
    tags: ["system"],
    auth: false,
    response: z.object({
      groupId: z.string(),
      chainId: z.number(),
      blockNumber: z.number(),
      contracts: z.record(z.string(), z.string()).meta({ description: "contract name → address" }),
    }),
    handler: async () => {
      const d = ctx.chain.deployment;
      return {
        groupId: d.groupId,
        chainId: d.chainId,
        blockNumber: await ctx.chain.client.blockNumber(),
        contracts: Object.fromEntries(Object.entries(d.contracts).map(([name, c]) => [name, c.address])),
      };
    },
  });
}
