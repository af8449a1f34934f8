import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { EmrDraft, EmrRecord } from "../generated/prisma/client.ts";
import { namesOf } from "../members/views.ts";

export const DRAFT_STATUSES = ["awaiting-patient", "awaiting-doctor", "submitted", "on-chain", "failed"] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

export const DraftSchema = z
  .object({
    id: z.string(),
    recordId: z.string(),
    patient: z.string(),
    doctor: z.string(),
    hospital: z.string(),
    title: z.string(),
    createdAt: z.number(),
    deadline: z.number(),
    contentHash: z.string(),
    fieldsRoot: z.string(),
    storagePointer: z.string(),
    status: z.enum(DRAFT_STATUSES),
    patientNonce: z.string(),
    doctorNonce: z.string(),
    patientSigned: z.boolean(),
    doctorSigned: z.boolean(),
    txHash: z.string().nullable(),
    failure: z.string().nullable(),
    patientName: z.string().nullable(),
    doctorName: z.string().nullable(),
    hospitalName: z.string().nullable(),
  })
  .meta({ id: "EmrDraft" });

export const RecordSchema = z
  .object({
    recordId: z.string(),
    patient: z.string(),
    doctor: z.string(),
    hospital: z.string(),
    title: z.string().nullable(),
    contentHash: z.string(),
    fieldsRoot: z.string(),
    storagePointer: z.string(),
    createdAt: z.number(),
    version: z.number(),
    deleted: z.boolean(),
    blockNumber: z.number(),
    txHash: z.string(),
    writtenAt: z.number(),
    patientName: z.string().nullable(),
    doctorName: z.string().nullable(),
    hospitalName: z.string().nullable(),
  })
  .meta({ id: "EmrRecord" });

export async function draftViews(ctx: AppContext, drafts: EmrDraft[]): Promise<z.infer<typeof DraftSchema>[]> {
  const names = await namesOf(ctx, drafts.flatMap((d) => [d.patient, d.doctor, d.hospital]));
  return drafts.map((d) => ({
    id: d.id,
    recordId: d.recordId,
    patient: d.patient,
    doctor: d.doctor,
    hospital: d.hospital,
    title: d.title,
    createdAt: Number(d.createdAt),
    deadline: Number(d.deadline),
    contentHash: d.contentHash,
    fieldsRoot: d.fieldsRoot,
    storagePointer: d.storagePointer,
    status: d.status as DraftStatus,
    patientNonce: d.patientNonce,
    doctorNonce: d.doctorNonce,
    patientSigned: !!d.patientSig,
    doctorSigned: !!d.doctorSig,
    txHash: d.txHash,
    failure: d.failure,
    patientName: names.get(d.patient) ?? null,
    doctorName: names.get(d.doctor) ?? null,
    hospitalName: names.get(d.hospital) ?? null,
  }));
}

export async function recordViews(ctx: AppContext, records: EmrRecord[]): Promise<z.infer<typeof RecordSchema>[]> {
  const [names, blobs] = await Promise.all([
    namesOf(ctx, records.flatMap((r) => [r.patient, r.doctor, r.hospital])),
    ctx.prisma.emrBlob.findMany({
      where: { storagePointer: { in: records.map((r) => r.storagePointer) } },
      select: { storagePointer: true, title: true },
    }),
  ]);
  const titles = new Map(blobs.map((b) => [b.storagePointer, b.title]));
  return records.map((r) => ({
    recordId: r.recordId,
    patient: r.patient,
    doctor: r.doctor,
    hospital: r.hospital,
    title: titles.get(r.storagePointer) ?? null,
    contentHash: r.contentHash,
    fieldsRoot: r.fieldsRoot,
    storagePointer: r.storagePointer,
    createdAt: Number(r.createdAt),
    version: r.version,
    deleted: r.deleted,
    blockNumber: r.blockNumber,
    txHash: r.txHash,
    writtenAt: Number(r.writtenAt),
    patientName: names.get(r.patient) ?? null,
    doctorName: names.get(r.doctor) ?? null,
    hospitalName: names.get(r.hospital) ?? null,
  }));
}
