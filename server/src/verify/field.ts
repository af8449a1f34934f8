import { fieldHashesOf, fieldLeafOf, hashPair } from "@yyl/sdk";
import { ZeroHash } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { sendTx } from "../chain/chain.ts";
import { notFound } from "../http/errors.ts";
import { Bytes32 } from "../http/schemas.ts";
import { CheckSchema, type Check } from "./checks.ts";

// Checking a field someone disclosed to you (the reader's client makes the disclosure from the opened
// record with the sdk's fieldProofOf; the server cannot, as it never sees the content): its value and proof against the version's fieldsRoot, once
// here against the mirror and once by EmrRegistry.verifyField on chain. No sign-in: the insurer, the
// research hospital or anyone else the patient showed the field to can run it, and learns nothing
// beyond what they were given (a yes or no, and public roots).

/** An RFC 6901 pointer to one field: "/" tokens, where "~" is only allowed as "~0" or "~1". */
export const JsonPointer = z
  .string()
  .max(1000, "at most 1000 characters")
  .regex(/^(\/([^~/]|~[01])*)+$/, 'must be a JSON pointer (RFC 6901) such as "/entry/0/resource/id"')
  .meta({
    description:
      'RFC 6901 JSON pointer of a field in the FHIR Bundle, e.g. "/entry/5/resource/code/coding/0/code"',
  });

/** A field's value: a JSON primitive, as it stands in the Bundle. */
export const FieldValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .meta({ description: "The field's value (a JSON string, number, boolean or null)" });

/** Sibling hashes from the leaf up to the root. */
export const MerkleProof = z
  .array(Bytes32)
  .max(64, "at most 64 hashes")
  .meta({ description: "Sibling hashes from the leaf up to the root (sorted-pair keccak256)" });

const FIELD_CHECKS = {
  mirror: "proof leads to the mirror's fields root",
  chain: "EmrRegistry.verifyField",
} as const;

const FieldVerificationSchema = z
  .object({
    ok: z.boolean().meta({ description: "Both checks passed" }),
    recordId: z.string(),
    version: z.number(),
    path: z.string(),
    checks: z.array(CheckSchema),
  })
  .meta({ id: "FieldVerification" });

/** The root `proof` leads to from the leaf of (`path`, `value`). */
function rootOfProof(
  path: string,
  value: string | number | boolean | null,
  proof: readonly string[],
): string {
  return proof.reduce((h, sibling) => hashPair(h, sibling), fieldLeafOf(path, value));
}

export function registerFieldVerifyRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/verify/fields",
    summary: "Check a disclosed record field and its Merkle proof (no sign-in)",
    description:
      "Hashes the path and value into the leaf, walks the proof and compares the root with the version's fieldsRoot in the " +
      "mirror; then asks EmrRegistry.verifyField the same question on chain. `ok` only when both say yes; each check names " +
      "what it compared. 404 when neither the mirror nor the chain knows the record version.",
    tags: ["verify"],
    auth: false,
    body: z.object({
      recordId: Bytes32,
      version: z.number().int().min(1).max(1_000_000),
      path: JsonPointer,
      value: FieldValue,
      proof: MerkleProof,
    }),
    response: FieldVerificationSchema,
    errors: [404, 502],
    handler: async ({ body, session, requestId }) => {
      const { recordId, version, path, value, proof } = body;
      const resource = `record:${recordId}`;
      const row = await prisma.emrRecordVersion.findUnique({
        where: { recordId_version: { recordId, version } },
      });
      const emr = ctx.chain.emr;
      const { pathHash, valueHash } = fieldHashesOf(path, value);
      const [onChain, chainRoot] = await sendTx(() =>
        Promise.all([
          emr.call<boolean>("verifyField", [recordId, version, pathHash, valueHash, proof]),
          // Only needed to tell an unknown version from a failed proof when the mirror has no row.
          row ? Promise.resolve(null) : emr.call<Record<string, unknown>>("versionOf", [recordId, version]),
        ]),
      );
      if (!row && (!chainRoot || String(chainRoot.fieldsRoot) === ZeroHash)) {
        await audit.record({
          session,
          action: "emr.field.verify",
          resource,
          outcome: "failed",
          requestId,
          detail: `version ${version} not found`,
        });
        throw notFound("record version");
      }
      const proved = rootOfProof(path, value, proof);
      const mirrorOk = !!row && proved.toLowerCase() === row.fieldsRoot.toLowerCase();
      const checks: Check[] = [
        { name: FIELD_CHECKS.mirror, ok: mirrorOk, mirror: row?.fieldsRoot ?? null, chain: proved },
        { name: FIELD_CHECKS.chain, ok: onChain, mirror: String(mirrorOk), chain: String(onChain) },
      ];
      const ok = checks.every((c) => c.ok);
      const failed = checks.filter((c) => !c.ok).map((c) => c.name);
      await audit.allowed(
        session,
        "emr.field.verify",
        resource,
        requestId,
        `version ${version} field ${path}: ${ok ? "ok" : `failed ${failed.join(", ")}`}`,
      );
      return { ok, recordId, version, path, checks };
    },
  });
}
