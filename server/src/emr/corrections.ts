import { categoryOf, emrDeletionTypedData, reasonHashOf } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { checkDeadline, domainFor, expectSigner, operatorOf, relay } from "../chain/signed.ts";
import type { EmrDraft, EmrRecord } from "../generated/prisma/client.ts";
import { keepText } from "../evidence/texts.ts";
import { ApiError, conflict } from "../http/errors.ts";
import { sealedDraft } from "./service.ts";
import { readersOfNextVersion } from "../keys/readers.ts";
import type { SealedContent } from "../keys/wraps.ts";
import { CATEGORY_PREFIX } from "./views.ts";

// Changes to a record already on chain: a correction (a new version, dual-signed like the first
// write, with a reason), a tombstone (the patient's signed deletion) and its hospital's category.

const recordDeleted = () =>
  new ApiError(409, "RECORD_DELETED", "the record was deleted; it can no longer be changed");

/** A draft that can no longer reach the chain: refused, or not signed in time. */
const isStale = (d: EmrDraft, now: number) =>
  d.status === "failed" ||
  ((d.status === "awaiting-patient" || d.status === "awaiting-doctor") && Number(d.deadline) <= now);

/**
 * Drafts the next version of `record`, signed by the calling doctor. Only one draft per version can be
 * under way: a stale draft for that version (refused, or expired unsigned) is replaced, a live one is a 409.
 */
export async function createUpdateDraft(
  ctx: AppContext,
  session: Session,
  record: EmrRecord,
  input: { title?: string; content: SealedContent; reason: string },
): Promise<EmrDraft> {
  const { prisma } = ctx;
  if (record.deleted) throw recordDeleted();
  const hospital = session.member?.hospital;
  if (!hospital) throw conflict("the doctor has no hospital on record");
  const now = Date.now();
  const version = record.version + 1;
  const previous = await prisma.emrDraft.findUnique({
    where: { recordId_version: { recordId: record.recordId, version } },
  });
  if (previous && !isStale(previous, now)) {
    throw conflict(
      `a correction to version ${version} is already under way (draft ${previous.id}, ${previous.status})`,
    );
  }
  const current = await prisma.emrBlob.findUnique({
    where: { storagePointer: record.storagePointer },
    select: { title: true },
  });
  const title = input.title ?? current?.title ?? "";
  const storagePointer = `emr-blob:${record.recordId}:${version}`;
  const readers = await readersOfNextVersion(ctx, record, session.address);
  const { draft, blob, wraps } = await sealedDraft(session, {
    recordId: record.recordId,
    content: input.content,
    readers,
    storagePointer,
    title,
    now,
  });
  const [, , , , created] = await prisma.$transaction([
    // The stale draft never reached the chain, so its content (under the same pointer) was never referenced there.
    prisma.emrDraft.deleteMany({ where: { id: previous?.id ?? "" } }),
    prisma.emrBlob.upsert({ where: { storagePointer }, create: blob, update: blob }),
    prisma.emrKeyWrap.deleteMany({ where: { storagePointer } }),
    prisma.emrKeyWrap.createMany({ data: wraps }),
    prisma.emrDraft.create({
      data: {
        ...draft,
        kind: "update",
        version,
        reason: input.reason,
        patient: record.patient,
        doctor: session.address,
        hospital,
      },
    }),
  ]);
  return created;
}

export interface DeletionInput {
  reason: string;
  nonce: string;
  deadline: number;
  signature: string;
}

/** Relays the patient's (or guardian's) signed deletion from the alliance's account. */
export async function deleteRecord(
  ctx: AppContext,
  session: Session,
  record: EmrRecord,
  input: DeletionInput,
): Promise<void> {
  if (record.deleted) throw recordDeleted();
  checkDeadline(input.deadline);
  const reasonHash = reasonHashOf(input.reason);
  const typed = emrDeletionTypedData(domainFor(ctx, "EmrRegistry"), {
    recordId: record.recordId,
    reasonHash,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  await relay(ctx, "EmrRegistry", "deleteRecord", [
    record.recordId,
    reasonHash,
    input.nonce,
    input.deadline,
    input.signature,
  ]);
  await keepText(ctx, "record-reason", input.reason, session.address);
}

/** Puts the record in a category (once), sent by its hospital's operator; the name is kept for display. */
export async function classifyRecord(
  ctx: AppContext,
  session: Session,
  record: EmrRecord,
  name: string,
): Promise<void> {
  const category = categoryOf(name);
  if (record.category) {
    throw new ApiError(
      409,
      "ALREADY_CLASSIFIED",
      `the record is already classified${record.category === category ? ` as ${name}` : ""}`,
    );
  }
  const operator = await operatorOf(ctx, record.hospital);
  await relay(ctx, "ConsentManager", "classifyRecord", [record.recordId, category], operator);
  await keepText(ctx, "record-category", CATEGORY_PREFIX + name, session.address);
}
