import { CARE_STEP, careStepOf } from "@yyl/sdk";
import { getAddress, ZeroAddress } from "ethers";
import type { AppContext } from "../context.ts";
import { textHashOf, textsOf } from "../evidence/texts.ts";
import { check, existence, verify, type Check, type Verification } from "./checks.ts";

// A visit: its mirror row and steps against CareProcess.visitOf / stepOf, and each step's content hash
// against the text kept behind it (evidence_texts), where the server kept one.

export interface ChainVisit {
  patient: string;
  hospital: string;
  lastStep: number;
  finished: boolean;
  openedAt: number;
  finishedAt: number;
}

/** The visit as CareProcess holds it, or null when the chain does not know it. */
export async function chainVisitOf(ctx: AppContext, visitId: string): Promise<ChainVisit | null> {
  const v = await ctx.chain.contracts.CareProcess.call<Record<string, unknown>>("visitOf", [visitId]);
  const patient = getAddress(String(v.patient));
  if (patient === ZeroAddress) return null;
  return {
    patient,
    hospital: getAddress(String(v.hospital)),
    lastStep: Number(v.lastStep),
    finished: Boolean(v.finished),
    openedAt: Number(v.openedAt),
    finishedAt: Number(v.finishedAt),
  };
}

interface ChainStep {
  doctor: string;
  contentHash: string;
  at: number;
}

async function chainStepOf(ctx: AppContext, visitId: string, step: number): Promise<ChainStep | null> {
  // By position: a result named "at" would be shadowed by Array.prototype.at.
  const [doctorRaw, contentHash, at] = await ctx.chain.contracts.CareProcess.call<unknown[]>("stepOf", [
    visitId,
    step,
  ]);
  const doctor = getAddress(String(doctorRaw));
  return doctor === ZeroAddress ? null : { doctor, contentHash: String(contentHash), at: Number(at) };
}

const LAST_STEP = CARE_STEP.discharge;
const stepName = (step: number) => `step ${step} (${careStepOf(step)?.en ?? "unknown"})`;

async function inspectVisit(ctx: AppContext, visitId: string) {
  const [row, chain, mirrorSteps] = await Promise.all([
    ctx.prisma.visit.findUnique({ where: { visitId } }),
    chainVisitOf(ctx, visitId),
    ctx.prisma.visitStep.findMany({ where: { visitId }, orderBy: { step: "asc" } }),
  ]);
  if (!chain) return { checks: [existence("visit exists on chain", !!row, false)], chain: null };
  const checks: Check[] = [
    check("visit exists on chain", "true", "true"),
    existence("mirror row exists", !!row, true),
    check("mirror patient", row?.patient, chain.patient),
    check("mirror hospital", row?.hospital, chain.hospital),
    check("mirror last step", row?.lastStep, chain.lastStep),
    check("mirror finished", row?.finished, chain.finished),
    check("mirror opened at", row?.openedAt, chain.openedAt),
    check("mirror finished at", row?.finishedAt ?? 0, chain.finishedAt),
  ];
  // Steps are recorded in ascending order, so none can lie beyond the last one the chain or the mirror knows.
  const highest = Math.min(LAST_STEP, Math.max(chain.lastStep, ...mirrorSteps.map((s) => s.step)));
  // A mirrored step outside 1..7 cannot exist on chain.
  for (const s of mirrorSteps.filter((m) => m.step > LAST_STEP))
    checks.push(existence(`${stepName(s.step)} recorded`, true, false));
  const steps = await Promise.all(
    Array.from({ length: highest }, (_, i) => chainStepOf(ctx, visitId, i + 1)),
  );
  const texts = await textsOf(
    ctx,
    steps.map((s) => s?.contentHash),
  );
  steps.forEach((onChain, i) => {
    const step = i + 1;
    const mirrored = mirrorSteps.find((s) => s.step === step);
    if (!onChain && !mirrored) return; // an optional step that was skipped
    const name = stepName(step);
    checks.push(existence(`${name} recorded`, !!mirrored, !!onChain));
    if (!onChain) return;
    checks.push(
      check(`${name} doctor`, mirrored?.doctor, onChain.doctor),
      check(`${name} content hash`, mirrored?.contentHash, onChain.contentHash),
      check(`${name} recorded at`, mirrored?.at, onChain.at),
    );
    const kept = texts.get(onChain.contentHash);
    if (kept !== undefined)
      checks.push(
        check(`${name} content hash = keccak256(kept text)`, textHashOf(kept), onChain.contentHash),
      );
  });
  return { checks, chain: { ...chain, steps: steps.filter(Boolean).length } };
}

/** Compares a visit's mirror rows (and the step texts kept off chain) with CareProcess. */
export function verifyVisit(ctx: AppContext, visitId: string): Promise<Verification> {
  return verify(ctx, "visit", visitId, () => inspectVisit(ctx, visitId));
}
