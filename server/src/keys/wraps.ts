import {
  checkRecordKeyWrap,
  contentHashOf,
  ESCROW_READER,
  parsePolicy,
  policyGranteeOf,
  policySatisfied,
  type EciesWrapped,
  type RecordKeyWrap,
} from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { ApiError, badRequest, type ErrorDetail } from "../http/errors.ts";
import { Address, Bytes32 } from "../http/schemas.ts";
import { attributesOf } from "./attributes.ts";
import type { RecordReaderSet } from "./readers.ts";

// The wrapped content keys of record versions: checked and stored when a version is drafted or its
// keys are shared with a new grantee, and handed to a reader as only the wraps they can open.

const WrappedObject = z.record(z.string(), z.unknown());
export const KeyWrapInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ecies"), reader: z.union([z.literal(ESCROW_READER), Address]), wrapped: WrappedObject }),
  z.object({ kind: z.literal("abe"), policy: z.string().min(1).max(1000), wrapped: WrappedObject }),
]);

export const SealedContentInput = z
  .object({
    envelope: z.string().min(1).max(8_000_000).meta({ description: "Canonical JSON of the AES-256-GCM envelope" }),
    fieldsRoot: Bytes32.meta({ description: "Merkle root of the Bundle's fields (goes on chain)" }),
    wraps: z.array(KeyWrapInput).min(1).max(200),
  })
  .meta({
    description:
      "A record version sealed by the writer's client (sdk sealRecordVersion): the envelope, its fields root, and the " +
      "content key wrapped for every reader that GET …/readers listed. The server cannot open it.",
  });

export const ContentSchema = z
  .object({
    envelope: z.string(),
    wraps: z.array(z.record(z.string(), z.unknown())).meta({ description: "The wraps the caller can open" }),
  })
  .meta({
    id: "SealedContent",
    description: "Open with the sdk's openRecordVersion(content, recordId, version, {address, privateKey, abeUserKey}).",
  });

export type SealedContent = z.infer<typeof SealedContentInput>;

const readerOf = (w: RecordKeyWrap) => (w.kind === "ecies" ? w.reader : policyGranteeOf(w.policy));

/** 400 naming the wrap at fault unless every wrap is well formed and for a reader of the version. */
export async function checkWraps(
  wraps: readonly RecordKeyWrap[],
  allowed: RecordReaderSet["readers"],
  path: string,
): Promise<void> {
  const problems: ErrorDetail[] = [];
  const ids = new Set(allowed.keys.map((k) => k.id));
  const policies = new Set(allowed.policies);
  const seen = new Set<string>();
  for (const [i, w] of wraps.entries()) {
    const at = `${path}.${i}`;
    try {
      await checkRecordKeyWrap(w);
    } catch (e) {
      problems.push({ path: at, message: (e as Error).message });
      continue;
    }
    if (w.kind === "ecies" && !ids.has(w.reader))
      problems.push({ path: `${at}.reader`, message: `${w.reader} is not a reader of this version` });
    if (w.kind === "abe" && !policies.has(w.policy))
      problems.push({ path: `${at}.policy`, message: `"${w.policy}" is not a policy this version is shared under` });
    const reader = readerOf(w);
    if (seen.has(reader)) problems.push({ path: at, message: `a second wrap for ${reader}` });
    seen.add(reader);
  }
  if (problems.length) throw badRequest("content keys are not wrapped as this version needs", problems);
}

/** Checks a sealed version for its readers (`required` each need a wrap); answers its content hash. */
export async function checkSealedContent(content: SealedContent, set: RecordReaderSet, path = "content"): Promise<string> {
  let contentHash: string;
  try {
    contentHash = contentHashOf(content.envelope);
  } catch (e) {
    throw badRequest("content.envelope is not an AES-256-GCM envelope", [{ path: `${path}.envelope`, message: (e as Error).message }]);
  }
  const wraps = content.wraps as RecordKeyWrap[];
  await checkWraps(wraps, set.readers, `${path}.wraps`);
  const missing = set.required.filter((id) => !wraps.some((w) => w.kind === "ecies" && w.reader === id));
  if (missing.length)
    throw badRequest("content keys are not wrapped for every required reader", [
      { path: `${path}.wraps`, message: `no wrap for ${missing.join(", ")} (the patient, the writing doctor and the escrow key each need one)` },
    ]);
  return contentHash;
}

export const wrapRows = (storagePointer: string, wraps: readonly RecordKeyWrap[], addedBy: string, now = Date.now()) =>
  wraps.map((w) => ({
    storagePointer,
    kind: w.kind,
    reader: readerOf(w),
    policy: w.kind === "abe" ? w.policy : null,
    wrapped: JSON.stringify(w.wrapped),
    addedBy,
    createdAt: BigInt(now),
  }));

const toWrap = (row: { kind: string; reader: string; policy: string | null; wrapped: string }): RecordKeyWrap =>
  row.kind === "abe"
    ? { kind: "abe", policy: row.policy!, wrapped: JSON.parse(row.wrapped) }
    : { kind: "ecies", reader: row.reader, wrapped: JSON.parse(row.wrapped) };

export const noKeyForReader = (version: number) =>
  new ApiError(
    403,
    "NO_KEY_FOR_READER",
    `version ${version} is not encrypted for you: it was written after your access ended, or its key was not shared with you`,
  );

/** The wraps of one version the caller can open: their own, and those under policies their attributes satisfy. */
export async function wrapsFor(
  ctx: AppContext,
  session: Session,
  storagePointer: string,
  version: number,
): Promise<RecordKeyWrap[]> {
  const rows = await ctx.prisma.emrKeyWrap.findMany({
    where: { storagePointer, OR: [{ reader: session.address }, { kind: "abe" }] },
  });
  const own = rows.filter((r) => r.kind === "ecies");
  const abe = rows.filter((r) => r.kind === "abe");
  const attributes = new Set(abe.length ? await attributesOf(ctx, session) : []);
  const usable = [...own, ...abe.filter((r) => policySatisfied(parsePolicy(r.policy!), attributes))];
  if (!usable.length) throw noKeyForReader(version);
  return usable.map(toWrap);
}

/** Break-glass: the version's escrow wrap re-wrapped to the doctor's key. */
export async function escrowWrapFor(
  ctx: AppContext,
  storagePointer: string,
  aad: string,
  doctor: string,
  doctorPublicKey: string,
): Promise<RecordKeyWrap[]> {
  const row = await ctx.prisma.emrKeyWrap.findUnique({
    where: { storagePointer_reader: { storagePointer, reader: ESCROW_READER } },
  });
  if (!row) throw new ApiError(409, "NO_ESCROW_KEY", "this version has no break-glass key");
  const wrapped = await ctx.keys.rewrapEscrow(JSON.parse(row.wrapped) as EciesWrapped, aad, doctorPublicKey);
  return [{ kind: "ecies", reader: doctor, wrapped }];
}
