import {
  checkAdjustment,
  feedbackTypedData,
  scoreAdjustmentTypedData,
  type TransactionReceipt,
} from "@yyl/sdk";
import { ZeroHash } from "ethers";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { keepText, textHashOf } from "../evidence/texts.ts";
import type { Member, ScoreEvent, Visit } from "../generated/prisma/client.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { ROLE_CODES } from "../members/codes.ts";

// The score's writes. Each checks what HospitalScore would refuse before sending, so that the caller
// gets a 400 naming the field or a 409 saying which state is in the way rather than a reverted
// transaction; the contract still decides.

export interface Signed {
  nonce: string;
  deadline: number;
  signature: string;
}

export async function findHospital(ctx: AppContext, address: string): Promise<Member> {
  const m = await ctx.prisma.member.findUnique({ where: { address } });
  if (!m || m.role !== ROLE_CODES.hospital) throw notFound("hospital");
  return m;
}

const notInitialized = (hospital: string) =>
  new ApiError(409, "SCORE_NOT_INITIALIZED", `the score of hospital ${hospital} is not initialized yet`);

/** The score event a transaction produced, as the indexer mirrored it (found by its transaction, so a
 *  concurrent write in the same block cannot be mistaken for it). */
async function eventOf(
  ctx: AppContext,
  receipt: TransactionReceipt,
  name: "ScoreAdjusted" | "FeedbackGiven",
): Promise<ScoreEvent> {
  const e = await ctx.prisma.chainEvent.findFirstOrThrow({
    where: { txHash: receipt.transactionHash, contract: "HospitalScore", name },
    select: { blockNumber: true, logIndex: true },
  });
  return ctx.prisma.scoreEvent.findUniqueOrThrow({ where: { blockNumber_logIndex: e } });
}

export async function initializeScore(ctx: AppContext, hospital: Member): Promise<void> {
  if (await ctx.prisma.hospitalScore.findUnique({ where: { hospital: hospital.address } })) {
    throw new ApiError(409, "SCORE_ALREADY_INITIALIZED", "the hospital's score is already initialized");
  }
  if (!hospital.level) {
    throw new ApiError(
      409,
      "LEVEL_NOT_SET",
      "the hospital's level is not set; an alliance admin sets it first (POST /members/{address}/level)",
    );
  }
  await relay(ctx, "HospitalScore", "initialize", [hospital.address]);
}

export interface AdjustmentInput extends Signed {
  reasonCode: number;
  delta: number;
  evidence: string;
}

export async function adjustScore(
  ctx: AppContext,
  session: Session,
  hospital: Member,
  input: AdjustmentInput,
): Promise<ScoreEvent> {
  const refusal = checkAdjustment(input.reasonCode, input.delta);
  if (refusal === "HospitalScoreInvalidReason")
    throw badRequest("reasonCode is not 1–4", [{ path: "reasonCode", message: "must be 1, 2, 3 or 4" }]);
  if (refusal) {
    const why =
      refusal === "HospitalScoreDeltaOutOfRange"
        ? "|delta| must be at most 100"
        : "must be non-zero, negative for a misdiagnosis (1) and positive for a rescue (2)";
    throw badRequest(`delta is not acceptable (${refusal})`, [{ path: "delta", message: why }]);
  }
  checkDeadline(input.deadline);
  const evidenceHash = textHashOf(input.evidence);
  const typed = scoreAdjustmentTypedData(domainFor(ctx, "HospitalScore"), {
    hospital: hospital.address,
    reasonCode: input.reasonCode,
    delta: input.delta,
    evidenceHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  if (!(await ctx.prisma.hospitalScore.findUnique({ where: { hospital: hospital.address } })))
    throw notInitialized(hospital.address);
  await keepText(ctx, "score-evidence", input.evidence, session.address);
  const receipt = await relay(ctx, "HospitalScore", "adjust", [
    hospital.address,
    input.reasonCode,
    input.delta,
    evidenceHash,
    input.nonce,
    input.deadline,
    input.signature,
  ]);
  return eventOf(ctx, receipt, "ScoreAdjusted");
}

export interface FeedbackInput extends Signed {
  rating: number;
  comment?: string;
}

/** Feedback is signed by the visit's patient (a guardian may hand it in, but cannot sign for them). */
export async function giveFeedback(
  ctx: AppContext,
  session: Session,
  visit: Visit,
  input: FeedbackInput,
): Promise<ScoreEvent> {
  checkDeadline(input.deadline);
  const commentHash = input.comment ? textHashOf(input.comment) : ZeroHash;
  const typed = feedbackTypedData(domainFor(ctx, "HospitalScore"), {
    visitId: visit.visitId,
    rating: input.rating,
    commentHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, visit.patient);
  if (!visit.finished)
    throw new ApiError(
      409,
      "VISIT_NOT_FINISHED",
      "the visit is not finished; feedback is given on finished visits",
    );
  if (await ctx.prisma.scoreEvent.count({ where: { visitId: visit.visitId, kind: "feedback" } })) {
    throw new ApiError(409, "FEEDBACK_EXISTS", "feedback on this visit was already given");
  }
  if (!(await ctx.prisma.hospitalScore.findUnique({ where: { hospital: visit.hospital } })))
    throw notInitialized(visit.hospital);
  if (input.comment) await keepText(ctx, "feedback-comment", input.comment, session.address);
  const receipt = await relay(ctx, "HospitalScore", "feedback", [
    visit.visitId,
    input.rating,
    commentHash,
    input.nonce,
    input.deadline,
    input.signature,
  ]);
  return eventOf(ctx, receipt, "FeedbackGiven");
}
