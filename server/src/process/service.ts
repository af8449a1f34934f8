import {
  canonicalJson,
  careStepOf,
  careStepTypedData,
  CARE_STEP,
  nextCareSteps,
  visitIdOf,
  visitOpeningTypedData,
} from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { checkDeadline, domainFor, expectSigner, operatorOf, relay } from "../chain/signed.ts";
import type { Prisma, Visit } from "../generated/prisma/client.ts";
import { keepText, textHashOf } from "../evidence/texts.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";
import { patientsActingFor } from "../consent/acting-for.ts";
import { perksOfPatient } from "./perks.ts";

// The care process (全流程上链): a visit the patient signs open at a hospital, then its steps, each
// signed by the doctor who performed it; both are sent by the visit hospital's operator. The order
// is the contract's; the obvious refusals are answered here first with a clear 409.

/** Step details are at most this long once written as canonical JSON. */
export const MAX_DETAILS_CHARS = 20_000;

export interface OpeningInput {
  hospital: string;
  openedAt: number;
  nonce: string;
  deadline: number;
  signature: string;
}

export async function findVisit(ctx: AppContext, visitId: string): Promise<Visit> {
  const visit = await ctx.prisma.visit.findUnique({ where: { visitId } });
  if (!visit) throw notFound("visit");
  return visit;
}

/** Opens a visit signed by the calling patient: visitId = visitIdOf(patient, hospital, openedAt). */
export async function openVisit(ctx: AppContext, session: Session, input: OpeningInput): Promise<Visit> {
  const { prisma } = ctx;
  const hospital = await prisma.member.findUnique({ where: { address: input.hospital } });
  if (!hospital || hospital.role !== ROLE_CODES.hospital || hospital.status !== STATUS_APPROVED) {
    throw badRequest("hospital is not an approved hospital", [
      { path: "hospital", message: "not an approved hospital" },
    ]);
  }
  const visitId = visitIdOf(session.address, input.hospital, input.openedAt);
  if (await prisma.visit.findUnique({ where: { visitId } }))
    throw new ApiError(409, "VISIT_EXISTS", "a visit with this hospital and opening time exists");
  checkDeadline(input.deadline);
  const typed = visitOpeningTypedData(domainFor(ctx, "CareProcess"), {
    visitId,
    patient: session.address,
    hospital: input.hospital,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  const operator = await operatorOf(ctx, input.hospital);
  await relay(
    ctx,
    "CareProcess",
    "openVisit",
    [visitId, session.address, input.nonce, input.deadline, input.signature],
    operator,
  );
  return findVisit(ctx, visitId);
}

export interface StepInput {
  step: number;
  details: unknown;
  continues: boolean;
  nonce: string;
  deadline: number;
  signature: string;
}

/** Records the next step of `visit`, signed by the calling doctor; the details' text is kept off chain. */
export async function recordStep(
  ctx: AppContext,
  session: Session,
  visit: Visit,
  input: StepInput,
): Promise<void> {
  const text = canonicalJson(input.details);
  if (text.length > MAX_DETAILS_CHARS) {
    throw badRequest("details are too long", [
      { path: "details", message: `at most ${MAX_DETAILS_CHARS} characters as JSON` },
    ]);
  }
  if (input.continues && input.step !== CARE_STEP.paymentDispensing) {
    throw badRequest("only payment and dispensing (5) may continue the visit", [
      { path: "continues", message: "allowed on step 5 only" },
    ]);
  }
  if (visit.finished) throw new ApiError(409, "VISIT_FINISHED", "the visit is finished; no step can follow");
  const allowed = nextCareSteps(visit.lastStep, visit.finished);
  if (!allowed.includes(input.step as (typeof allowed)[number])) {
    const names = allowed.map((s) => `${s} ${careStepOf(s)!.en}`).join(", ");
    throw new ApiError(
      409,
      "STEP_OUT_OF_ORDER",
      `step ${input.step} cannot follow step ${visit.lastStep}; next may be: ${names}`,
    );
  }
  if (input.step === CARE_STEP.paymentDispensing) await checkReimbursement(ctx, visit.patient, input.details);
  checkDeadline(input.deadline);
  const contentHash = textHashOf(text);
  const typed = careStepTypedData(domainFor(ctx, "CareProcess"), {
    visitId: visit.visitId,
    step: input.step,
    contentHash,
    continues: input.continues,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  const operator = await operatorOf(ctx, visit.hospital);
  const args = [
    visit.visitId,
    input.step,
    session.address,
    contentHash,
    input.continues,
    input.nonce,
    input.deadline,
    input.signature,
  ];
  await relay(ctx, "CareProcess", "recordStep", args, operator);
  await keepText(ctx, "care-step", text, session.address);
}

/**
 * Step 5 (缴费拿药) is where the reimbursement perk applies. The details are the doctor's signed text,
 * so the server cannot add the flag itself; it checks the one the doctor's client put there:
 * `reimbursement` must be true or false when present, and true only for a patient whose tier
 * carries the perk now. Details without the key (or given as text) claim nothing.
 */
async function checkReimbursement(ctx: AppContext, patient: string, details: unknown): Promise<void> {
  if (typeof details !== "object" || details === null || !("reimbursement" in details)) return;
  const claim = (details as { reimbursement: unknown }).reimbursement;
  if (typeof claim !== "boolean") {
    throw badRequest("details.reimbursement must be true or false", [
      { path: "details.reimbursement", message: "must be true or false" },
    ]);
  }
  if (claim && !(await perksOfPatient(ctx, patient)).perks.includes("reimbursement")) {
    throw badRequest("the patient's tier has no reimbursement perk", [
      { path: "details.reimbursement", message: "the patient's tier does not include reimbursement" },
    ]);
  }
}

/** Which visits the caller may list, as a SQL condition (visit.read's relations). */
export async function visitScope(ctx: AppContext, s: Session): Promise<Prisma.VisitWhereInput> {
  if (hasRole(s, "regulator")) return {};
  const any: Prisma.VisitWhereInput[] = [];
  if (hasRole(s, "patient") || hasRole(s, "applicant")) {
    const patients = await patientsActingFor(ctx, s);
    if (patients.length) any.push({ patient: { in: patients } });
  }
  if (hasRole(s, "doctor") && s.member?.hospital) any.push({ hospital: s.member.hospital });
  if (hasRole(s, "hospital")) any.push({ hospital: s.address });
  return any.length ? { OR: any } : { visitId: { in: [] } };
}
