import { domainOf, verifyTypedSignature, type Eip712Domain, type TransactionReceipt, type TypedData } from "@yyl/sdk";
import type { ContractName } from "@yyl/deploy";
import { getAddress } from "ethers";
import type { AppContext } from "../context.ts";
import { badRequest, conflict } from "../http/errors.ts";
import { sendTx } from "./chain.ts";

// Relaying what a user signed: the server checks the signature and deadline first, so a bad one is a
// 400 naming the field rather than a reverted transaction, then sends it from a relayer account and
// waits until the indexer has mirrored the block, so the answer reflects the new state.

/** The EIP-712 domain of one of our deployed contracts. */
export function domainFor(ctx: AppContext, name: ContractName): Eip712Domain {
  return domainOf(name, ctx.chain.deployment.chainId, ctx.chain.contracts[name].address);
}

export function checkDeadline(deadline: number, path = "deadline"): void {
  if (deadline <= Date.now()) throw badRequest(`${path} has passed`, [{ path, message: "must be in the future" }]);
}

/** The address that signed `typedData`; 400 on a signature from which no signer can be recovered. */
export function recoverSigner(typedData: TypedData, signature: string, path = "signature"): string {
  try {
    return getAddress(verifyTypedSignature(typedData, signature));
  } catch {
    throw badRequest(`${path} is malformed`, [{ path, message: "cannot recover a signer" }]);
  }
}

/** Checks that `typedData` was signed by `expected` (or one of them); 400 naming who signed otherwise. */
export function expectSigner(typedData: TypedData, signature: string, expected: string | readonly string[], path = "signature"): string {
  const signer = recoverSigner(typedData, signature, path);
  const allowed = typeof expected === "string" ? [expected] : expected;
  if (!allowed.includes(signer)) {
    throw badRequest(`${path} is not by the expected signer`, [{ path, message: `signed by ${signer}, expected ${allowed.join(" or ")}` }]);
  }
  return signer;
}

/** The WeBASE account that sends an approved hospital's transactions. */
export async function operatorOf(ctx: AppContext, hospital: string): Promise<string> {
  const operator = (await ctx.prisma.member.findUnique({ where: { address: hospital } }))?.operator;
  if (!operator) throw conflict(`hospital ${hospital} has no operator account on chain`);
  return operator;
}

/** Sends a transaction (from `user`, or the alliance's account) and waits until its block is mirrored. */
export async function relay(
  ctx: AppContext,
  contract: ContractName,
  fn: string,
  args: readonly unknown[],
  user?: string,
): Promise<TransactionReceipt> {
  const receipt = await sendTx(() => ctx.chain.contracts[contract].send(fn, args, user ? { user } : {}));
  await ctx.indexer.waitForBlock(receipt.blockNumber);
  return receipt;
}
