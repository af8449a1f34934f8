import { contentHashOf, recordIdOf } from "@yyl/sdk";
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
        storagePointer: z.string(),
        createdAt: z.number(),
        version: z.number(),
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
  const chain = {
    patient: getAddress(String(c.patient)),
    doctor: getAddress(String(c.doctor)),
    hospital: getAddress(String(c.hospital)),
    contentHash: String(c.contentHash),
    storagePointer: String(c.storagePointer),
    createdAt: Number(c.createdAt),
    version: Number(c.version),
  };
  const blob = await ctx.prisma.emrBlob.findUnique({ where: { storagePointer: chain.storagePointer } });
  const checks = [
    check("record exists on chain", "true", "true"),
    check("record id = keccak256(createdAt, patient)", recordId, recordIdOf(chain.createdAt, chain.patient)),
    check("mirror row exists", "true", row ? "true" : "false"),
    check("mirror patient", chain.patient, row?.patient),
    check("mirror doctor", chain.doctor, row?.doctor),
    check("mirror hospital", chain.hospital, row?.hospital),
    check("mirror content hash", chain.contentHash, row?.contentHash),
    check("mirror storage pointer", chain.storagePointer, row?.storagePointer),
    check("mirror version", chain.version, row?.version),
    check("stored ciphertext exists", "true", blob ? "true" : "false"),
    check("keccak256(stored ciphertext) = content hash on chain", chain.contentHash, blob ? contentHashOf(blob.envelope) : null),
  ];
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
    handler: async ({ params, session, req }) => {
      const r = await ctx.prisma.emrRecord.findUnique({ where: { recordId: params.recordId } });
      await ctx.audit.authorize(
        session,
        "emr.record.verify",
        `record:${params.recordId}`,
        { owner: r?.patient, doctor: r?.doctor, hospital: r?.hospital },
        req.id as string,
      );
      const result = await verifyRecord(ctx, params.recordId);
      await ctx.audit.record({ session, action: "emr.record.verify", resource: `record:${params.recordId}`, outcome: "allowed", detail: result.verified ? "verified" : "MISMATCH", requestId: req.id as string });
      return result;
    },
  });
}
