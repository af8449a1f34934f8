import type { AppContext } from "../context.ts";

// Mirror rows remember where their event sits on chain (block, log index); the transaction that emitted
// it is in chain_events. Views show that transaction so a reader can check it on the chain.

export interface ChainPlace {
  blockNumber: number;
  logIndex: number;
}

const keyOf = (p: ChainPlace) => `${p.blockNumber}:${p.logIndex}`;

/** The transaction hash of each row's event, keyed by "block:log"; one query for the whole page. */
export async function txHashesOf(
  ctx: AppContext,
  rows: readonly ChainPlace[],
): Promise<(row: ChainPlace) => string | null> {
  if (!rows.length) return () => null;
  const found = await ctx.prisma.chainEvent.findMany({
    where: { OR: rows.map((r) => ({ blockNumber: r.blockNumber, logIndex: r.logIndex })) },
    select: { blockNumber: true, logIndex: true, txHash: true },
  });
  const byPlace = new Map(found.map((e) => [keyOf(e), e.txHash]));
  return (row) => byPlace.get(keyOf(row)) ?? null;
}
