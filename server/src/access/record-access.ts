import { keccak256, toUtf8Bytes } from "ethers";
import { ACCESS_REASON, parsePolicy, policySatisfied } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { sendTx } from "../chain/chain.ts";
import type { EmrRecord } from "../generated/prisma/client.ts";
import { ApiError, forbidden } from "../http/errors.ts";
import { findRecord } from "../emr/records.ts";
import { isAllowed, type Action } from "./policy.ts";
import { recordFacts } from "./facts.ts";
import { attributesOf } from "../keys/attributes.ts";

// Opening a record's content. Its patient, their guardian and its author are decided from the mirror
// and audited off chain. Everyone else (another hospital, its doctors, a regulator) is decided by the
// chain: the read is requested from ConsentManager, which checks the grant at that moment, emits the
// outcome as an AccessRequested event the patient sees, and counts a denial toward the blacklist.

export interface ChainDecision {
  requester: string;
  granted: boolean;
  reason: number;
  level: number;
  txHash: string;
}

const DENIAL_TEXT: Record<number, string> = {
  [ACCESS_REASON.noGrant]: "no active grant covers this record",
  [ACCESS_REASON.expired]: "the grant covering this record has expired",
  [ACCESS_REASON.blacklisted]: "the requester is blacklisted after repeated unauthorized requests",
  [ACCESS_REASON.deleted]: "the record was deleted",
};

export const purposeHashOf = (purpose: string) => keccak256(toUtf8Bytes(purpose));

/** An active policy grant of the patient covering the record whose policy the caller's attested attributes satisfy. */
async function satisfiedPolicyGrant(ctx: AppContext, session: Session, record: EmrRecord): Promise<string | null> {
  const grants = await ctx.prisma.consentGrant.findMany({
    where: {
      patient: record.patient,
      scope: { in: [record.recordId, ...(record.category ? [record.category] : [])] },
      revoked: false,
      expiresAt: { gt: BigInt(Date.now()) },
    },
    select: { grantee: true },
  });
  if (!grants.length) return null;
  const policies = await ctx.prisma.policyGrantee.findMany({
    where: { grantee: { in: grants.map((g) => g.grantee) } },
  });
  if (!policies.length) return null;
  const attributes = new Set(await attributesOf(ctx, session));
  return policies.find((p) => policySatisfied(parsePolicy(p.policy), attributes))?.grantee ?? null;
}

/** Sends the read request to the chain: a hospital's through its operator; anyone else's under their own
 *  grant through the alliance's account, else under a policy grant their attributes satisfy (the alliance
 *  attests them) through the same account, else a doctor's as their hospital through its operator. */
async function requestOnChain(
  ctx: AppContext,
  session: Session,
  record: EmrRecord,
  purpose: string,
): Promise<ChainDecision> {
  const { prisma, chain } = ctx;
  const consent = chain.contracts.ConsentManager;
  const asHospital = hasRole(session, "hospital");
  const personal =
    !asHospital &&
    (await prisma.consentGrant.count({
      where: {
        patient: record.patient,
        grantee: session.address,
        revoked: false,
        expiresAt: { gt: BigInt(Date.now()) },
      },
    })) > 0;
  const policyGrantee = asHospital || personal ? null : await satisfiedPolicyGrant(ctx, session, record);
  let hospital: string | null = null;
  if (asHospital) hospital = session.address;
  else if (!personal && !policyGrantee && hasRole(session, "doctor")) hospital = session.member?.hospital ?? null;
  const purposeHash = purposeHashOf(`${purpose} by ${session.address}`);
  let receipt;
  if (hospital) {
    const operator = (await prisma.member.findUnique({ where: { address: hospital } }))?.operator;
    if (!operator)
      throw new ApiError(409, "CONFLICT", "the caller's hospital has no operator account on chain");
    receipt = await sendTx(() =>
      consent.send("requestAccess", [record.recordId, purposeHash], { user: operator }),
    );
  } else if (policyGrantee) {
    receipt = await sendTx(() =>
      consent.send("requestAccessUnderPolicy", [record.recordId, session.address, policyGrantee, purposeHash]),
    );
  } else {
    receipt = await sendTx(() =>
      consent.send("requestAccessFor", [record.recordId, session.address, purposeHash]),
    );
  }
  // The patient's access log shows the request as soon as the read is answered.
  await ctx.indexer.waitForBlock(receipt.blockNumber);
  const ev = consent.decodeLogs(receipt).find((e) => e.name === "AccessRequested");
  if (!ev) throw new Error("AccessRequested missing from the receipt");
  return {
    requester: String(ev.args.requester),
    granted: Boolean(ev.args.granted),
    reason: Number(ev.args.reason),
    level: Number(ev.args.level),
    txHash: receipt.transactionHash,
  };
}

export interface OpenedRecord {
  record: EmrRecord;
  /** The chain's decision, when the read was requested there. */
  chain: ChainDecision | null;
}

/**
 * Authorizes reading a record's content (or its version history) and audits it. Unknown record: 404.
 * A deleted record's content is gone for everyone: 410.
 */
export async function openRecord(
  ctx: AppContext,
  session: Session | null,
  recordId: string,
  action: Extract<Action, "emr.record.read" | "emr.record.history">,
  requestId: string,
  purpose = "treatment",
): Promise<OpenedRecord> {
  const record = await findRecord(ctx, recordId);
  const resource = `record:${recordId}`;
  const facts = await recordFacts(ctx, session, record);
  const byRelation = isAllowed(session, action, { ...facts, grantLevel: 0 });
  // Members and regulators without a relation to the record are decided by the chain; a signed-in
  // stranger with no membership is refused here without costing a transaction.
  const asksChain = !byRelation && !!session && session.roles.some((r) => r !== "applicant");
  let decision: ChainDecision | null = null;
  if (asksChain) {
    if (!ctx.chainReads.take(session!.address)) {
      await ctx.audit.record({
        session,
        action,
        resource,
        outcome: "denied",
        requestId,
        detail: "too many reads decided on chain",
      });
      throw new ApiError(
        429,
        "RATE_LIMITED",
        "too many record reads that need the chain's decision; wait a minute",
      );
    }
    decision = await requestOnChain(ctx, session!, record, purpose);
  }
  const grantLevel = decision ? decision.level : 0;
  if (!isAllowed(session, action, { ...facts, grantLevel })) {
    const why =
      decision && !decision.granted
        ? (DENIAL_TEXT[decision.reason] ?? `refused (reason ${decision.reason})`)
        : undefined;
    await ctx.audit.record({
      session,
      action,
      resource,
      outcome: "denied",
      requestId,
      detail: decision ? `chain reason ${decision.reason}, tx ${decision.txHash}` : undefined,
    });
    throw forbidden(
      why ? `not allowed to read this record: ${why}` : `not allowed to ${action.replace(/\./g, " ")}`,
    );
  }
  if (record.deleted && action === "emr.record.read") {
    await ctx.audit.record({ session, action, resource, outcome: "failed", requestId, detail: "deleted" });
    throw new ApiError(
      410,
      "RECORD_DELETED",
      "the record was deleted by its patient; its content is no longer served",
    );
  }
  await ctx.audit.allowed(
    session,
    action,
    resource,
    requestId,
    decision ? `granted on chain (level ${decision.level}), tx ${decision.txHash}` : undefined,
  );
  return { record, chain: decision };
}
