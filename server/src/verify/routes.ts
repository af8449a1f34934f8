import { contentHashOf, fieldsRootOf, recordIdOf } from "@yyl/sdk";
import { getAddress } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { Bytes32 } from "../http/schemas.ts";

const Check = z.object({ name: z.string(), ok: z.boolean(), expected: z.string().nullable(), actual: z.string().nullable() });

const VerifyResult = z
  .object({
    recordId: z.string(),
    verified: z.boolean(),
    checks: z.array(Check),
    chain: z
      .object({
        patient: z.string(),
        doctor: z.string(),
        hospital: z.string(),
        contentHash: z.string(),
        fieldsRoot: z.string(),
        storagePointer: z.string(),
        createdAt: z.number(),
        version: z.number(),
        deleted: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: "RecordVerification" });

type CheckRow = z.infer<typeof Check>;
const check = (name: string, expected: unknown, actual: unknown): CheckRow => ({
  name,
  ok: expected != null && String(expected).toLowerCase() === String(actual).toLowerCase(),
  expected: expected == null ? null : String(expected),
  actual: actual == null ? null : String(actual),
});

/** Compares the mirror row and the stored ciphertext with what the chain holds for a record. */
export async function verifyRecord(ctx: AppContext, recordId: string): Promise<z.infer<typeof VerifyResult>> {
  const [row, exists] = await Promise.all([
    ctx.prisma.emrRecord.findUnique({ where: { recordId } }),
    ctx.chain.emr.call<boolean>("exists", [recordId]),
  ]);
  if (!exists) {
    return { recordId, verified: false, checks: [check("record exists on chain", "true", "false")], chain: null };
  }
  const c = await ctx.chain.emr.call<Record<string, unknown>>("recordOf", [recordId]);
  const version = Number(c.version);
  const [v, deleted] = await Promise.all([
    ctx.chain.emr.call<Record<string, unknown>>("versionOf", [recordId, version]),
    ctx.chain.emr.call<boolean>("isDeleted", [recordId]),
  ]);
  const chain = {
    patient: getAddress(String(c.patient)),
    doctor: getAddress(String(c.doctor)),
    hospital: getAddress(String(c.hospital)),
    contentHash: String(c.contentHash),
    fieldsRoot: String(v.fieldsRoot),
    storagePointer: String(c.storagePointer),
    createdAt: Number(c.createdAt),
    version,
    deleted,
  };
  const blob = await ctx.prisma.emrBlob.findUnique({ where: { storagePointer: chain.storagePointer } });
  // The server holds the content key in this release, so it can also check the Merkle root of the fields.
  const bundle = blob ? await ctx.content.open(blob).catch(() => null) : null;
  const checks = [
    check("record exists on chain", "true", "true"),
    check("record id = keccak256(createdAt, patient)", recordId, recordIdOf(chain.createdAt, chain.patient)),
    check("mirror row exists", "true", row ? "true" : "false"),
    check("mirror patient", chain.patient, row?.patient),
    check("mirror doctor", chain.doctor, row?.doctor),
    check("mirror hospital", chain.hospital, row?.hospital),
    check("mirror content hash", chain.contentHash, row?.contentHash),
    check("mirror fields root", chain.fieldsRoot, row?.fieldsRoot),
    check("mirror storage pointer", chain.storagePointer, row?.storagePointer),
    check("mirror version", chain.version, row?.version),
    check("mirror deletion", chain.deleted, row?.deleted),
  ];
  if (!chain.deleted) {
    checks.push(
      check("stored ciphertext exists", "true", blob ? "true" : "false"),
      check("keccak256(stored ciphertext) = content hash on chain", chain.contentHash, blob ? contentHashOf(blob.envelope) : null),
      check("Merkle root of the content's fields = fields root on chain", chain.fieldsRoot, bundle ? fieldsRootOf(bundle) : null),
    );
  }
  return { recordId, verified: checks.every((x) => x.ok), checks, chain };
}

export function registerVerifyRoutes(ctx: AppContext): void {
  ctx.api.route({
    method: "get",
    path: "/verify/records/:recordId",
    summary: "Check a record's mirror row and stored ciphertext against the chain",
    description: "Recomputes the content hash from the stored ciphertext and compares every mirrored field with the contract's state.",
    tags: ["verify"],
    auth: true,
    params: z.object({ recordId: Bytes32 }),
    response: VerifyResult,
    errors: [403, 502],
    handler: async ({ params, session, requestId }) => {
      const r = await ctx.prisma.emrRecord.findUnique({ where: { recordId: params.recordId } });
      await ctx.audit.authorize(
        session,
        "emr.record.verify",
        `record:${params.recordId}`,
        { owner: r?.patient, doctor: r?.doctor, hospital: r?.hospital },
        requestId,
      );
      const result = await verifyRecord(ctx, params.recordId);
      await ctx.audit.allowed(session, "emr.record.verify", `record:${params.recordId}`, requestId, result.verified ? "verified" : "MISMATCH");
      return result;
    },
  });
}
