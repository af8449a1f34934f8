import { categoryOf, grantTypedData, randomNonce, SCOPE_KIND, signTypedData, domainOf } from "@yyl/sdk";
import type { Wallet } from "ethers";
import type { Stack } from "./stack.ts";

// Acts sent straight to the chain through the alliance's relayer account, for tests whose subject is
// not the endpoint that normally sends them (e.g. a read test that needs a grant to exist).

export async function grantOnChain(
  stack: Stack,
  patient: Wallet,
  g: { recordId?: string; category?: string; grantee: string; level?: 1 | 2; expiresAt?: number },
): Promise<void> {
  const ctx = stack.app.context;
  const consent = ctx.chain.contracts.ConsentManager;
  const scope = g.recordId ?? categoryOf(g.category!);
  const scopeKind = g.recordId ? SCOPE_KIND.record : SCOPE_KIND.category;
  const level = g.level ?? 1;
  const expiresAt = g.expiresAt ?? Date.now() + 86_400_000;
  const nonce = randomNonce();
  const deadline = Date.now() + 3600_000;
  const typed = grantTypedData(domainOf("ConsentManager", ctx.chain.deployment.chainId, consent.address), {
    patient: patient.address,
    scope,
    scopeKind,
    grantee: g.grantee,
    level,
    expiresAt,
    nonce,
    deadline,
  });
  const sig = await signTypedData(patient, typed);
  const receipt = await consent.send("grant", [patient.address, scope, scopeKind, g.grantee, level, expiresAt, nonce, deadline, patient.address, sig]);
  await ctx.indexer.waitForBlock(receipt.blockNumber);
}
