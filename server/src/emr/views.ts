import { reasonHashOf } from "@yyl/sdk";
import { ZeroHash } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { EmrDraft, EmrRecord, EmrRecordVersion } from "../generated/prisma/client.ts";
import { textsOf } from "../evidence/texts.ts";
import { namesOf } from "../members/views.ts";

export const DRAFT_STATUSES = [
  "awaiting-patient",
  "awaiting-doctor",
  "submitted",
  "on-chain",
  "failed",
] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];
export const DRAFT_KINDS = ["write", "update"] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/** A category's name is kept as the text "category:<name>", whose keccak256 is the category on chain. */
export const CATEGORY_PREFIX = "category:";

export const FhirBundle = z
  .record(z.string(), z.unknown())
  .meta({ description: "FHIR R4 Bundle of type document", id: "FhirBundle" });

export const DraftSchema = z
  .object({
    id: z.string(),
    recordId: z.string(),
    kind: z
      .enum(DRAFT_KINDS)
      .meta({ description: "write: a new record; update: a new version of an existing one" }),
    version: z.number().meta({ description: "The version this draft becomes on chain (1 for a new record)" }),
    reason: z
      .string()
      .nullable()
      .meta({ description: "Why the record is corrected (updates only); its keccak256 goes on chain" }),
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
    category: z
      .string()
      .nullable()
      .meta({ description: 'keccak256("category:<name>") set by the record\'s hospital, or null' }),
    categoryName: z.string().nullable(),
    blockNumber: z.number(),
    txHash: z.string(),
    writtenAt: z.number(),
    patientName: z.string().nullable(),
    doctorName: z.string().nullable(),
    hospitalName: z.string().nullable(),
  })
  .meta({ id: "EmrRecord" });

export async function draftViews(
  ctx: AppContext,
  drafts: EmrDraft[],
): Promise<z.infer<typeof DraftSchema>[]> {
  const names = await namesOf(
    ctx,
    drafts.flatMap((d) => [d.patient, d.doctor, d.hospital]),
  );
  return drafts.map((d) => ({
    id: d.id,
    recordId: d.recordId,
    kind: d.kind as DraftKind,
    version: d.version,
    reason: d.reason,
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

export async function recordViews(
  ctx: AppContext,
  records: EmrRecord[],
): Promise<z.infer<typeof RecordSchema>[]> {
  const [names, titles, categories] = await Promise.all([
    namesOf(
      ctx,
      records.flatMap((r) => [r.patient, r.doctor, r.hospital]),
    ),
    titlesOf(
      ctx,
      records.map((r) => r.storagePointer),
    ),
    categoryNamesOf(
      ctx,
      records.map((r) => r.category),
    ),
  ]);
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
    category: r.category,
    categoryName: r.category ? (categories.get(r.category) ?? null) : null,
    blockNumber: r.blockNumber,
    txHash: r.txHash,
    writtenAt: Number(r.writtenAt),
    patientName: names.get(r.patient) ?? null,
    doctorName: names.get(r.doctor) ?? null,
    hospitalName: names.get(r.hospital) ?? null,
  }));
}

export async function recordView(ctx: AppContext, record: EmrRecord): Promise<z.infer<typeof RecordSchema>> {
  return (await recordViews(ctx, [record]))[0]!;
}

async function titlesOf(ctx: AppContext, pointers: string[]): Promise<Map<string, string>> {
  if (!pointers.length) return new Map();
  const blobs = await ctx.prisma.emrBlob.findMany({
    where: { storagePointer: { in: pointers } },
    select: { storagePointer: true, title: true },
  });
  return new Map(blobs.map((b) => [b.storagePointer, b.title]));
}

/** Names of categories that were classified through the API, by category hash. */
export async function categoryNamesOf(
  ctx: AppContext,
  categories: (string | null | undefined)[],
): Promise<Map<string, string>> {
  const texts = await textsOf(ctx, categories);
  return new Map(
    [...texts]
      .filter(([, t]) => t.startsWith(CATEGORY_PREFIX))
      .map(([h, t]) => [h, t.slice(CATEGORY_PREFIX.length)]),
  );
}

export const VersionSchema = z
  .object({
    recordId: z.string(),
    version: z.number(),
    title: z.string().nullable(),
    doctor: z.string(),
    doctorName: z.string().nullable(),
    hospital: z.string().meta({ description: "The hospital of the doctor who signed this version" }),
    hospitalName: z.string().nullable(),
    contentHash: z.string(),
    fieldsRoot: z.string(),
    storagePointer: z.string(),
    reasonHash: z
      .string()
      .meta({ description: "keccak256 of the reason for the change (zero for version 1)" }),
    reason: z
      .string()
      .nullable()
      .meta({ description: "The reason's text, when it was given through the API" }),
    writtenAt: z.number(),
    txHash: z.string(),
    blockNumber: z.number(),
  })
  .meta({ id: "EmrRecordVersion" });
export type VersionView = z.infer<typeof VersionSchema>;

/** The reasons behind the given hashes: texts kept with the evidence, else the update drafts that carried them. */
export async function reasonsOf(
  ctx: AppContext,
  recordId: string,
  hashes: (string | null)[],
): Promise<Map<string, string>> {
  const texts = await textsOf(ctx, hashes);
  const missing = hashes.some((h) => h && !texts.has(h));
  if (missing) {
    const drafts = await ctx.prisma.emrDraft.findMany({
      where: { recordId, kind: "update", reason: { not: null } },
      select: { reason: true },
    });
    for (const d of drafts) {
      const hash = reasonHashOf(d.reason);
      if (!texts.has(hash)) texts.set(hash, d.reason!);
    }
  }
  return texts;
}

export async function versionViews(ctx: AppContext, versions: EmrRecordVersion[]): Promise<VersionView[]> {
  if (!versions.length) return [];
  const [names, titles, reasons] = await Promise.all([
    namesOf(
      ctx,
      versions.flatMap((v) => [v.doctor, v.hospital]),
    ),
    titlesOf(
      ctx,
      versions.map((v) => v.storagePointer),
    ),
    reasonsOf(
      ctx,
      versions[0]!.recordId,
      versions.map((v) => (v.reasonHash === ZeroHash ? null : v.reasonHash)),
    ),
  ]);
  return versions.map((v) => ({
    recordId: v.recordId,
    version: v.version,
    title: titles.get(v.storagePointer) ?? null,
    doctor: v.doctor,
    doctorName: names.get(v.doctor) ?? null,
    hospital: v.hospital,
    hospitalName: names.get(v.hospital) ?? null,
    contentHash: v.contentHash,
    fieldsRoot: v.fieldsRoot,
    storagePointer: v.storagePointer,
    reasonHash: v.reasonHash,
    reason: reasons.get(v.reasonHash) ?? null,
    writtenAt: Number(v.writtenAt),
    txHash: v.txHash,
    blockNumber: v.blockNumber,
  }));
}
