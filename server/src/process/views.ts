import { careStepOf, nextCareSteps, PERK } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Visit, VisitStep } from "../generated/prisma/client.ts";
import { textsOf } from "../evidence/texts.ts";
import { namesOf } from "../members/views.ts";
import { perksByPatient } from "./perks.ts";

const StepRef = z.object({
  step: z.number().meta({ description: "1 挂号 … 7 出院" }),
  zh: z.string(),
  en: z.string(),
  optional: z.boolean(),
});
type StepRefView = z.infer<typeof StepRef>;

export const VisitSchema = z
  .object({
    visitId: z.string(),
    patient: z.string(),
    patientName: z.string().nullable(),
    hospital: z.string(),
    hospitalName: z.string().nullable(),
    lastStep: z.number().meta({ description: "The last recorded step (0: none yet)" }),
    finished: z.boolean(),
    openedAt: z.number(),
    finishedAt: z.number().nullable(),
    blockNumber: z.number(),
    tier: z
      .number()
      .meta({ description: "The patient's tier now (0 普通 … 3 钻石), from their contribution points" }),
    perks: z
      .array(z.enum(Object.keys(PERK) as [keyof typeof PERK, ...(keyof typeof PERK)[]]))
      .meta({
        description: "The perks of that tier (queuePriority, appointment, drugPurchase, reimbursement)",
      }),
  })
  .meta({ id: "Visit" });

export const StepSchema = StepRef.extend({
  doctor: z.string(),
  doctorName: z.string().nullable(),
  details: z
    .unknown()
    .meta({ description: "The step's details as submitted (object or text); null when not kept" }),
  detailsText: z
    .string()
    .nullable()
    .meta({ description: "Their canonical JSON, whose keccak256 is the content hash on chain" }),
  contentHash: z.string(),
  txHash: z.string(),
  at: z.number(),
}).meta({ id: "VisitStep" });

export const TimelineSchema = z
  .object({
    visit: VisitSchema,
    steps: z.array(StepSchema),
    next: z.array(StepRef).meta({ description: "The steps that may be recorded next (none once finished)" }),
    reimbursable: z.boolean().meta({
      description:
        "Whether the patient's tier carries the reimbursement perk now: step 5 may claim `details.reimbursement: true` only then",
    }),
  })
  .meta({ id: "VisitTimeline" });

export type VisitView = z.infer<typeof VisitSchema>;
export type TimelineView = z.infer<typeof TimelineSchema>;

function stepRef(code: number): StepRefView {
  const info = careStepOf(code);
  return { step: code, zh: info?.zh ?? "", en: info?.en ?? "", optional: info?.optional ?? false };
}

export async function visitViews(ctx: AppContext, visits: Visit[]): Promise<VisitView[]> {
  const [names, perks] = await Promise.all([
    namesOf(
      ctx,
      visits.flatMap((v) => [v.patient, v.hospital]),
    ),
    perksByPatient(
      ctx,
      visits.map((v) => v.patient),
    ),
  ]);
  return visits.map((v) => ({
    visitId: v.visitId,
    patient: v.patient,
    patientName: names.get(v.patient) ?? null,
    hospital: v.hospital,
    hospitalName: names.get(v.hospital) ?? null,
    lastStep: v.lastStep,
    finished: v.finished,
    openedAt: Number(v.openedAt),
    finishedAt: v.finishedAt === null ? null : Number(v.finishedAt),
    blockNumber: v.blockNumber,
    ...perks.get(v.patient)!,
  }));
}

function parsed(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The visit with its steps in order, their details, and what may come next. */
export async function timelineOf(ctx: AppContext, visit: Visit): Promise<TimelineView> {
  const steps: VisitStep[] = await ctx.prisma.visitStep.findMany({
    where: { visitId: visit.visitId },
    orderBy: { step: "asc" },
  });
  const [[view], names, texts] = await Promise.all([
    visitViews(ctx, [visit]),
    namesOf(
      ctx,
      steps.map((s) => s.doctor),
    ),
    textsOf(
      ctx,
      steps.map((s) => s.contentHash),
    ),
  ]);
  return {
    visit: view!,
    steps: steps.map((s) => ({
      ...stepRef(s.step),
      doctor: s.doctor,
      doctorName: names.get(s.doctor) ?? null,
      details: parsed(texts.get(s.contentHash)),
      detailsText: texts.get(s.contentHash) ?? null,
      contentHash: s.contentHash,
      txHash: s.txHash,
      at: Number(s.at),
    })),
    next: nextCareSteps(visit.lastStep, visit.finished).map(stepRef),
    reimbursable: view!.perks.includes("reimbursement"),
  };
}
