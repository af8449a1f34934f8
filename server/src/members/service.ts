import { applicationTypedData, decisionTypedData, domainOf, profileHashOf, reasonHashOf } from "@yyl/sdk";
import { randomBytes } from "node:crypto";
import { getAddress, ZeroAddress } from "ethers";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { sendTx } from "../chain/chain.ts";
import { checkDeadline, expectSigner } from "../chain/signed.ts";
import { ApiError, badRequest, conflict, notFound } from "../http/errors.ts";
import {
  DECISION_CODES,
  ROLE_CODES,
  STATUS_APPROVED,
  STATUS_CODES,
  type DecisionName,
  type MemberRole,
} from "./codes.ts";
import { toMemberView, type MemberView } from "./views.ts";

export interface ApplicationInput {
  role: MemberRole;
  profile: Record<string, string>;
  hospital?: string;
  nonce: string;
  deadline: number;
  signature: string;
}

export interface DecisionInput {
  decision: DecisionName;
  reason?: string;
  nonce: string;
  deadline: number;
  signature: string;
}

function registryDomain(ctx: AppContext) {
  return domainOf("AllianceRegistry", ctx.chain.deployment.chainId, ctx.chain.registry.address);
}

/**
 * The WeBASE-held account that sends a hospital's transactions: the one the chain already names for a
 * hospital applying again, else a key created now. WeBASE-Front cannot look a key up by name without
 * listing every private key it holds, so the name is made unique and the chain (through the mirror) is
 * where the account is found later; a key whose application never reached the chain stays unused.
 */
async function hospitalOperator(ctx: AppContext, hospital: string): Promise<string> {
  const recorded = (await ctx.prisma.member.findUnique({ where: { address: hospital } }))?.operator;
  if (recorded) return recorded;
  const userName = `hospital-${hospital.toLowerCase()}-${randomBytes(4).toString("hex")}`;
  return getAddress((await ctx.chain.client.createKey(userName)).address);
}

export async function submitApplication(
  ctx: AppContext,
  session: Session,
  input: ApplicationInput,
): Promise<MemberView> {
  const { prisma, chain } = ctx;
  const applicant = session.address;
  if (session.member && session.member.status !== STATUS_CODES.rejected) {
    throw conflict(
      `already a member (${session.member.status === STATUS_APPROVED ? "approved" : "status " + session.member.status}); only a rejected applicant may apply again`,
    );
  }
  checkDeadline(input.deadline);
  const role = ROLE_CODES[input.role];
  // `hospital` in the signed application is the hospital a doctor applies to, zero for everyone else.
  let hospital: string = ZeroAddress;
  if (input.role === "doctor") {
    if (!input.hospital)
      throw badRequest("a doctor applies to a hospital", [
        { path: "hospital", message: "required for doctors" },
      ]);
    const h = await prisma.member.findUnique({ where: { address: input.hospital } });
    if (!h || h.role !== ROLE_CODES.hospital || h.status !== STATUS_APPROVED) {
      throw badRequest("hospital is not an approved member", [
        { path: "hospital", message: "not an approved hospital" },
      ]);
    }
    hospital = input.hospital;
  }
  const profileHash = profileHashOf(input.profile);
  const typed = applicationTypedData(registryDomain(ctx), {
    applicant,
    role,
    hospital,
    profileHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, applicant);

  let txHash: string | null = null;
  if (input.role === "patient") {
    const receipt = await sendTx(() =>
      chain.registry.send("applyAsPatient", [
        applicant,
        profileHash,
        input.nonce,
        input.deadline,
        input.signature,
      ]),
    );
    txHash = receipt.transactionHash;
    await ctx.indexer.waitForBlock(receipt.blockNumber);
  } else if (input.role === "hospital") {
    const operator = await hospitalOperator(ctx, applicant);
    const receipt = await sendTx(() =>
      chain.registry.send("applyAsHospital", [
        applicant,
        operator,
        profileHash,
        input.nonce,
        input.deadline,
        input.signature,
      ]),
    );
    txHash = receipt.transactionHash;
    await ctx.indexer.waitForBlock(receipt.blockNumber);
  }
  const now = BigInt(Date.now());
  const profile = {
    role,
    name: input.profile.name!,
    profile: input.profile,
    profileHash,
    hospital: input.role === "doctor" ? hospital : null,
    nonce: input.nonce,
    deadline: BigInt(input.deadline),
    signature: input.signature,
    submittedAt: now,
    relayedAt: txHash ? now : null,
    txHash,
  };
  await prisma.memberProfile.upsert({
    where: { address: applicant },
    create: { address: applicant, ...profile },
    update: profile,
  });
  return (await toMemberView(ctx, applicant))!;
}

/** A hospital puts a doctor's signed application on chain, sending it from the hospital's own account. */
export async function registerDoctor(ctx: AppContext, session: Session, doctor: string): Promise<MemberView> {
  const { prisma, chain } = ctx;
  const profile = await prisma.memberProfile.findUnique({ where: { address: doctor } });
  const onChain = await prisma.member.findUnique({ where: { address: doctor } });
  if (!profile || profile.role !== ROLE_CODES.doctor || profile.hospital !== session.address)
    throw notFound("doctor application");
  if (onChain && onChain.status !== STATUS_CODES.rejected)
    throw conflict("this doctor's application is already on chain");
  if (Number(profile.deadline) <= Date.now()) {
    throw new ApiError(
      409,
      "APPLICATION_EXPIRED",
      "the doctor's signed application has expired; the doctor must apply again",
    );
  }
  const operator = session.member?.operator;
  if (!operator) throw conflict("this hospital has no operator account on chain");
  const receipt = await sendTx(() =>
    chain.registry.send(
      "registerDoctor",
      [doctor, session.address, profile.profileHash, profile.nonce, profile.deadline, profile.signature],
      { user: operator },
    ),
  );
  await ctx.indexer.waitForBlock(receipt.blockNumber);
  await prisma.memberProfile.update({
    where: { address: doctor },
    data: { relayedAt: BigInt(Date.now()), txHash: receipt.transactionHash },
  });
  return (await toMemberView(ctx, doctor))!;
}

export async function decide(
  ctx: AppContext,
  session: Session,
  member: string,
  input: DecisionInput,
): Promise<MemberView> {
  const current = await ctx.prisma.member.findUnique({ where: { address: member } });
  if (!current) throw notFound("membership on chain");
  checkDeadline(input.deadline);
  const decision = DECISION_CODES[input.decision];
  const reasonHash = reasonHashOf(input.reason);
  const typed = decisionTypedData(registryDomain(ctx), {
    member,
    decision,
    reasonHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  const receipt = await sendTx(() =>
    ctx.chain.registry.send("decide", [
      member,
      decision,
      reasonHash,
      input.nonce,
      input.deadline,
      input.signature,
    ]),
  );
  await ctx.indexer.waitForBlock(receipt.blockNumber);
  return (await toMemberView(ctx, member))!;
}
