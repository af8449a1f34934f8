import {
  EMERGENCY_OUTCOME,
  EMERGENCY_REASON,
  emergencyAccessTypedData,
  emergencyReviewTypedData,
} from "@yyl/sdk";
import { ZeroHash } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import type { EmergencyAccessEntry, EmrRecord, Prisma } from "../generated/prisma/client.ts";
import { checkDeadline, domainFor, expectSigner, operatorOf, relay } from "../chain/signed.ts";
import { keepText, textHashOf, textsOf } from "../evidence/texts.ts";
import { ApiError, badRequest, conflict, notFound } from "../http/errors.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";
import { namesOf } from "../members/views.ts";
import { patientsActingFor } from "../consent/acting-for.ts";

// Break-glass: a certified doctor opens one record without a grant, stating why. The doctor signs, the
// operator of the doctor's hospital sends it (the chain rate-limits each doctor), and an alliance admin
// reviews each access afterwards as justified or abusive.

export const REASON_NAMES = { 1: "unconscious", 2: "life-threatening", 3: "other" } as const satisfies Record<
  number,
  string
>;
export const OUTCOME_NAMES = { 1: "justified", 2: "abusive" } as const satisfies Record<number, string>;

export const EmergencyAccessSchema = z
  .object({
    accessId: z.number(),
    recordId: z.string(),
    doctor: z.string(),
    doctorName: z.string().nullable(),
    patient: z.string(),
    patientName: z.string().nullable(),
    hospital: z.string(),
    hospitalName: z.string().nullable(),
    reasonCode: z.number(),
    reason: z.enum(["unconscious", "life-threatening", "other"]),
    justificationHash: z.string(),
    justification: z.string().nullable(),
    justificationMatches: z
      .boolean()
      .nullable()
      .meta({ description: "keccak256(justification) equals the hash on chain; null when none was given" }),
    accessedAt: z.number(),
    reviewed: z.boolean(),
    reviewOutcome: z.enum(["justified", "abusive"]).nullable(),
    reviewedBy: z.string().nullable(),
    reviewedByName: z.string().nullable(),
    blockNumber: z.number(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "EmergencyAccess" });
export type EmergencyAccessView = z.infer<typeof EmergencyAccessSchema>;

export async function accessViews(
  ctx: AppContext,
  rows: EmergencyAccessEntry[],
): Promise<EmergencyAccessView[]> {
  const [names, texts, txOf] = await Promise.all([
    namesOf(
      ctx,
      rows.flatMap((a) => [a.doctor, a.patient, a.hospital, a.reviewedBy]),
    ),
    textsOf(
      ctx,
      rows.map((a) => (a.justificationHash === ZeroHash ? null : a.justificationHash)),
    ),
    txHashesOf(ctx, rows),
  ]);
  return rows.map((a) => {
    const given = a.justificationHash !== ZeroHash;
    const justification = texts.get(a.justificationHash) ?? null;
    return {
      accessId: a.accessId,
      recordId: a.recordId,
      doctor: a.doctor,
      doctorName: names.get(a.doctor) ?? null,
      patient: a.patient,
      patientName: names.get(a.patient) ?? null,
      hospital: a.hospital,
      hospitalName: names.get(a.hospital) ?? null,
      reasonCode: a.reasonCode,
      reason: REASON_NAMES[a.reasonCode as 1 | 2 | 3] ?? "other",
      justificationHash: a.justificationHash,
      justification,
      justificationMatches: given
        ? justification !== null && textHashOf(justification) === a.justificationHash
        : null,
      accessedAt: Number(a.accessedAt),
      reviewed: a.reviewOutcome !== null,
      reviewOutcome: a.reviewOutcome !== null ? (OUTCOME_NAMES[a.reviewOutcome as 1 | 2] ?? null) : null,
      reviewedBy: a.reviewedBy,
      reviewedByName: a.reviewedBy ? (names.get(a.reviewedBy) ?? null) : null,
      blockNumber: a.blockNumber,
      txHash: txOf(a),
    };
  });
}

export async function findAccess(ctx: AppContext, accessId: number): Promise<EmergencyAccessEntry> {
  const a = await ctx.prisma.emergencyAccessEntry.findUnique({ where: { accessId } });
  if (!a) throw notFound("emergency access");
  return a;
}

/** Admins and regulators see all; a patient (or guardian) theirs; a doctor their own; a hospital its doctors'. */
export async function visibleAccesses(
  ctx: AppContext,
  session: Session,
): Promise<Prisma.EmergencyAccessEntryWhereInput> {
  if (hasRole(session, "alliance-admin") || hasRole(session, "regulator")) return {};
  const either: Prisma.EmergencyAccessEntryWhereInput[] = [];
  const patients = await patientsActingFor(ctx, session);
  if (patients.length) either.push({ patient: { in: patients } });
  if (hasRole(session, "doctor")) either.push({ doctor: session.address });
  if (hasRole(session, "hospital")) either.push({ hospital: session.address });
  return either.length ? { OR: either } : { accessId: { in: [] } };
}

export interface BreakGlassInput {
  recordId: string;
  reasonCode: 1 | 2 | 3;
  justification?: string;
  nonce: string;
  deadline: number;
  signature: string;
}

/**
 * Relays the doctor's signed break-glass through their hospital's operator. A refusal by the chain (rate
 * limit, no certification, deleted record) is audited on the record as failed, so the patient sees it.
 */
export async function breakGlass(
  ctx: AppContext,
  session: Session,
  record: EmrRecord,
  input: BreakGlassInput,
  requestId: string,
): Promise<{ access: EmergencyAccessEntry; txHash: string }> {
  if (input.reasonCode === EMERGENCY_REASON.other && !input.justification) {
    throw badRequest("reason 3 (other) needs a justification", [
      { path: "justification", message: "required when reasonCode is 3" },
    ]);
  }
  checkDeadline(input.deadline);
  const justificationHash = input.justification ? textHashOf(input.justification) : ZeroHash;
  const message = {
    recordId: record.recordId,
    reasonCode: input.reasonCode,
    justificationHash,
    nonce: input.nonce,
    deadline: input.deadline,
  };
  expectSigner(
    emergencyAccessTypedData(domainFor(ctx, "EmergencyAccess"), message),
    input.signature,
    session.address,
  );
  const hospital = session.member?.hospital;
  if (!hospital) throw conflict("the doctor has no hospital on record");
  const operator = await operatorOf(ctx, hospital);
  let receipt;
  try {
    receipt = await relay(
      ctx,
      "EmergencyAccess",
      "breakGlass",
      [
        record.recordId,
        session.address,
        input.reasonCode,
        justificationHash,
        input.nonce,
        input.deadline,
        input.signature,
      ],
      operator,
    );
  } catch (e) {
    if (e instanceof ApiError) {
      await ctx.audit.record({
        session,
        action: "emr.emergency.open",
        resource: `record:${record.recordId}`,
        outcome: "failed",
        requestId,
        detail: `break-glass refused: ${e.code}`,
      });
    }
    throw e;
  }
  if (input.justification)
    await keepText(ctx, "emergency-justification", input.justification, session.address);
  const ev = ctx.chain.contracts.EmergencyAccess.decodeLogs(receipt).find(
    (l) => l.name === "EmergencyAccessed",
  );
  const access = await findAccess(ctx, Number(ev!.args.accessId));
  return { access, txHash: receipt.transactionHash };
}

/** Relays an admin's signed review of an access, once. */
export async function reviewAccess(
  ctx: AppContext,
  session: Session,
  access: EmergencyAccessEntry,
  input: { outcome: keyof typeof EMERGENCY_OUTCOME; nonce: string; deadline: number; signature: string },
): Promise<{ access: EmergencyAccessEntry; txHash: string }> {
  if (access.reviewOutcome !== null)
    throw conflict(`the access was already reviewed as ${OUTCOME_NAMES[access.reviewOutcome as 1 | 2]}`);
  checkDeadline(input.deadline);
  const outcome = EMERGENCY_OUTCOME[input.outcome];
  const typed = emergencyReviewTypedData(domainFor(ctx, "EmergencyAccess"), {
    accessId: access.accessId,
    outcome,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  const receipt = await relay(ctx, "EmergencyAccess", "reviewEmergency", [
    access.accessId,
    outcome,
    input.nonce,
    input.deadline,
    input.signature,
  ]);
  return { access: await findAccess(ctx, access.accessId), txHash: receipt.transactionHash };
}
