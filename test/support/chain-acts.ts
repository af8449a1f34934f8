import type { ContractName } from "@yyl/deploy";
import {
  careStepTypedData,
  categoryOf,
  delegationTypedData,
  domainOf,
  grantTypedData,
  randomNonce,
  SCOPE_KIND,
  signTypedData,
  visitIdOf,
  visitOpeningTypedData,
  type TransactionReceipt,
} from "@yyl/sdk";
import type { Wallet } from "ethers";
import type { Stack } from "./stack.ts";

// Acts sent straight to the chain through the alliance's relayer account (or a hospital's operator),
// for tests whose subject is not the endpoint that normally sends them (e.g. a read test that needs a
// grant to exist). Each returns once the mirror holds its block.

/** Waits until the mirror holds every block so far (reads are decided on chain; the mirror follows). */
export async function waitForMirror(stack: Stack): Promise<void> {
  const ctx = stack.app.context;
  await ctx.indexer.waitForBlock(await ctx.chain.client.blockNumber());
}

/** Sends a transaction to one of the contracts (from the alliance's account unless `user` is given)
 *  and waits until the mirror holds its block. */
export async function sendAndMirror(
  stack: Stack,
  contract: ContractName,
  fn: string,
  args: readonly unknown[],
  user?: string,
): Promise<TransactionReceipt> {
  const ctx = stack.app.context;
  const receipt = await ctx.chain.contracts[contract].send(fn, args, user ? { user } : {});
  await ctx.indexer.waitForBlock(receipt.blockNumber);
  return receipt;
}

/** The EIP-712 domain of one of the deployed contracts. */
export function domainOn(stack: Stack, contract: ContractName) {
  const { chain } = stack.app.context;
  return domainOf(contract, chain.deployment.chainId, chain.contracts[contract].address);
}

/** The operator account of a hospital (held by WeBASE-Front), which sends the hospital's acts. */
export async function operatorOf(stack: Stack, hospital: string): Promise<string> {
  const member = await stack.app.context.prisma.member.findUniqueOrThrow({ where: { address: hospital } });
  return member.operator!;
}

export async function grantOnChain(
  stack: Stack,
  patient: Wallet,
  g: { recordId?: string; category?: string; grantee: string; level?: 1 | 2; expiresAt?: number },
): Promise<void> {
  const scope = g.recordId ?? categoryOf(g.category!);
  const scopeKind = g.recordId ? SCOPE_KIND.record : SCOPE_KIND.category;
  const level = g.level ?? 1;
  const expiresAt = g.expiresAt ?? Date.now() + 86_400_000;
  const nonce = randomNonce();
  const deadline = Date.now() + 3600_000;
  const typed = grantTypedData(domainOn(stack, "ConsentManager"), {
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
  await sendAndMirror(stack, "ConsentManager", "grant", [
    patient.address,
    scope,
    scopeKind,
    g.grantee,
    level,
    expiresAt,
    nonce,
    deadline,
    patient.address,
    sig,
  ]);
}

/** The patient makes `delegate` their guardian for a day with the given scope mask (all three by default). */
export async function delegateOnChain(
  stack: Stack,
  patient: Wallet,
  delegate: string,
  scopes = 7,
): Promise<void> {
  const m = {
    patient: patient.address,
    delegate,
    scopes,
    validFrom: Date.now() - 60_000,
    validUntil: Date.now() + 86_400_000,
    nonce: randomNonce(),
    deadline: Date.now() + 3600_000,
  };
  const sig = await signTypedData(patient, delegationTypedData(domainOn(stack, "PatientDelegation"), m));
  await sendAndMirror(stack, "PatientDelegation", "delegate", [
    m.patient,
    m.delegate,
    m.scopes,
    m.validFrom,
    m.validUntil,
    m.nonce,
    m.deadline,
    sig,
  ]);
}

/**
 * A visit of `patient` to `hospital` opened on chain, then the given care steps signed by `doctor`, all
 * sent by the hospital's operator. Each step's content hash is `contentHashOf(step, visitId)`.
 */
export async function visitOnChain(
  stack: Stack,
  v: {
    patient: Wallet;
    hospital: string;
    doctor: Wallet;
    steps: number[];
    contentHashOf: (step: number, visitId: string) => string | Promise<string>;
  },
): Promise<string> {
  const domain = domainOn(stack, "CareProcess");
  const operator = await operatorOf(stack, v.hospital);
  const send = (fn: string, args: unknown[]) => sendAndMirror(stack, "CareProcess", fn, args, operator);
  const visitId = visitIdOf(v.patient.address, v.hospital, Date.now());
  const deadline = Date.now() + 3600_000;
  const opening = {
    visitId,
    patient: v.patient.address,
    hospital: v.hospital,
    nonce: randomNonce(),
    deadline,
  };
  const openSig = await signTypedData(v.patient, visitOpeningTypedData(domain, opening));
  await send("openVisit", [visitId, v.patient.address, opening.nonce, deadline, openSig]);
  for (const step of v.steps) {
    const s = {
      visitId,
      step,
      contentHash: await v.contentHashOf(step, visitId),
      continues: false,
      nonce: randomNonce(),
      deadline,
    };
    const sig = await signTypedData(v.doctor, careStepTypedData(domain, s));
    await send("recordStep", [visitId, step, v.doctor.address, s.contentHash, false, s.nonce, deadline, sig]);
  }
  return visitId;
}
