import { fieldProofOf } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { openRecord } from "../access/record-access.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { Bytes32 } from "../http/schemas.ts";
import { readBundle } from "./service.ts";

// Disclosing one field of a record: its value with the Merkle proof that ties it to the version's
// fieldsRoot, which the patient and the doctor signed and EmrRegistry keeps. Whoever receives the
// disclosure can check it (POST /api/verify/fields, or EmrRegistry.verifyField) without seeing the rest
// of the record: the proof holds only hashes of the other fields.

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

export const RecordVersionParams = z.object({
  recordId: Bytes32,
  version: z.coerce.number().int().min(1).max(1_000_000),
});

export const FieldDisclosureSchema = z
  .object({
    recordId: z.string(),
    version: z.number(),
    path: z.string(),
    value: FieldValue,
    proof: z.array(z.string()),
    fieldsRoot: z.string().meta({ description: "The version's fieldsRoot (as EmrRegistry.versionOf)" }),
  })
  .meta({ id: "FieldDisclosure" });

export function registerFieldRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/emr/records/:recordId/versions/:version/fields",
    summary: "Disclose one field of a record version with its Merkle proof",
    description:
      "Answers the field's value and the sibling hashes that lead to the version's fieldsRoot on chain, so the caller can " +
      "show this one field to a third party (who checks it with POST /api/verify/fields or EmrRegistry.verifyField) " +
      "without handing over the record. Authorized as reading the record. 404 when `path` is not a field (a string, " +
      "number, boolean or null) of that version; a deleted record answers 410.",
    tags: ["emr"],
    auth: true,
    params: RecordVersionParams,
    // Optional in the schema only so that an unknown or forbidden record answers 404/403 first; a
    // missing path is then a 400 naming query.path.
    query: z.object({
      path: JsonPointer.optional().meta({ description: "Required: the field's JSON pointer" }),
    }),
    response: FieldDisclosureSchema,
    errors: [403, 404, 410, 422, 429, 502],
    handler: async ({ params, query, session, requestId }) => {
      const { record } = await openRecord(ctx, session, params.recordId, "emr.record.read", requestId);
      const path = query.path;
      if (path === undefined)
        throw badRequest("query.path is required", [{ path: "query.path", message: "required" }]);
      const row = await prisma.emrRecordVersion.findUnique({
        where: { recordId_version: { recordId: record.recordId, version: params.version } },
      });
      if (!row) throw notFound("version");
      const bundle = await readBundle(ctx, row.storagePointer);
      let disclosed;
      try {
        disclosed = fieldProofOf(bundle, path);
      } catch (e) {
        if (e instanceof RangeError) throw notFound(`field ${JSON.stringify(path)}`);
        throw e;
      }
      // openRecord recorded the read; this entry says which single field left the server.
      await audit.allowed(
        session,
        "emr.record.read",
        `record:${record.recordId}`,
        requestId,
        `field proof of ${path} in version ${params.version}`,
      );
      return {
        recordId: record.recordId,
        version: params.version,
        path: disclosed.path,
        value: disclosed.value,
        proof: disclosed.proof,
        fieldsRoot: row.fieldsRoot,
      };
    },
  });
}
