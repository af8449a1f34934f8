import type { AppContext } from "../context.ts";

// Members' public keys, learned from their sign-in signatures (publicKeyFromMessageSignature): a
// record version can be wrapped for anyone who has signed in once, without asking them for a key.

export async function rememberPublicKey(ctx: AppContext, address: string, publicKey: string): Promise<void> {
  const learnedAt = BigInt(Date.now());
  await ctx.prisma.accountKey.upsert({
    where: { address },
    create: { address, publicKey, learnedAt },
    update: { publicKey, learnedAt },
  });
}

/** address → compressed public key, for those of `addresses` who have signed in. */
export async function publicKeysOf(ctx: AppContext, addresses: readonly string[]): Promise<Map<string, string>> {
  const rows = await ctx.prisma.accountKey.findMany({ where: { address: { in: [...new Set(addresses)] } } });
  return new Map(rows.map((r) => [r.address, r.publicKey]));
}
