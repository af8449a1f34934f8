import { categoryOf } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { recordFacts } from "../access/facts.ts";
import { openRecord } from "../access/record-access.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { notFound } from "../http/errors.ts";
import {
  Address,
  BooleanQuery,
  Bytes32,
  listQuery,
  orderOf,
  orderThen,
  pageOf,
  pageSummary,
  paginateTable,
  SignedFields,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { classifyRecord, createUpdateDraft, deleteRecord } from "./corrections.ts";
import { findRecord, recordToActOn, recordToCorrect } from "./records.ts";
import { recordScope } from "./record-scope.ts";
import { sealedContentFor } from "./service.ts";
import { ContentSchema, SealedContentInput } from "../keys/wraps.ts";
import {
  DraftSchema,
  draftViews,
  reasonsOf,
  RecordSchema,
  recordView,
  recordViews,
  VersionSchema,
  versionViews,
} from "./views.ts";

const RecordId = z.object({ recordId: Bytes32 });
const Reason = z.string().trim().min(1, "required").max(500, "at most 500 characters");
const CategoryName = z
  .string()
  .trim()
  .min(1, "required")
  .max(64, "at most 64 characters")
  .meta({ description: 'A category name, e.g. cardiology; on chain as keccak256("category:<name>")' });

export function registerRecordRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/emr/records",
    summary: "Records on chain that the caller may see (metadata)",
    description:
      "An alliance admin and a regulator see all; a patient their own and those of the patients they are an active guardian of; " +
      "a doctor those they signed and those covered by an active grant to them or to their hospital; a hospital its own and " +
      "those granted to it. `category` is a name (or its hash); `from`/`to` bound the time of the first write.",
    tags: ["emr"],
    auth: true,
    query: listQuery(["writtenAt", "createdAt", "version"], "writtenAt:desc").extend({
      ...TimeRange.shape,
      patient: Address.optional(),
      doctor: Address.optional(),
      hospital: Address.optional(),
      category: z.string().trim().min(1).max(66).optional(),
      deleted: BooleanQuery.optional(),
    }),
    response: pageOf(RecordSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "emr.record.list", "records", {}, requestId);
      const category =
        query.category &&
        (/^0x[0-9a-fA-F]{64}$/.test(query.category)
          ? query.category.toLowerCase()
          : categoryOf(query.category));
      const where: Prisma.EmrRecordWhereInput = {
        AND: [
          await recordScope(ctx, session!),
          {
            patient: query.patient,
            doctor: query.doctor,
            hospital: query.hospital,
            category,
            deleted: query.deleted,
            writtenAt: timeWhere(query),
          },
        ],
      };
      const orderBy = orderThen(query.sort, "recordId", "asc");
      const page = await paginateTable(query, prisma.emrRecord, where, orderBy, (rows) =>
        recordViews(ctx, rows),
      );
      await audit.allowed(session, "emr.record.list", "records", requestId, pageSummary(page));
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/emr/records/:recordId",
    summary: "A record with its sealed content (latest version)",
    description:
      "Its patient, their guardian and its author read it at once. Anyone else (another hospital, its doctors, a regulator) " +
      "is decided on chain by ConsentManager under the patient's grant; the request and its outcome are an AccessRequested " +
      "event the patient sees, and a denial counts toward the blacklist. A deleted record answers 410.",
    tags: ["emr"],
    auth: true,
    params: RecordId,
    response: z.object({ record: RecordSchema, content: ContentSchema }),
    errors: [403, 404, 410, 422, 429, 502],
    handler: async ({ params, session, requestId }) => {
      const { record } = await openRecord(ctx, session, params.recordId, "emr.record.read", requestId);
      const content = await sealedContentFor(ctx, session!, record.storagePointer, record.version);
      return { record: await recordView(ctx, record), content };
    },
  });

  api.route({
    method: "get",
    path: "/emr/records/:recordId/versions",
    summary: "A record's history: every version's metadata, and the deletion if any",
    description:
      "Readable by those who may read the record (decided as for its content), and still after the record was deleted by its " +
      "patient and author. Each version carries the reason for the change when it was given through the API.",
    tags: ["emr"],
    auth: true,
    params: RecordId,
    query: listQuery(["version", "writtenAt"], "version:asc"),
    response: pageOf(VersionSchema).extend({
      record: RecordSchema,
      deletion: z.object({ reasonHash: z.string(), reason: z.string().nullable() }).nullable(),
    }),
    errors: [403, 404, 422, 429, 502],
    handler: async ({ params, query, session, requestId }) => {
      const { record } = await openRecord(ctx, session, params.recordId, "emr.record.history", requestId);
      const where = { recordId: record.recordId };
      const [page, view, reasons] = await Promise.all([
        paginateTable(query, prisma.emrRecordVersion, where, orderOf(query.sort), (rows) =>
          versionViews(ctx, rows),
        ),
        recordView(ctx, record),
        reasonsOf(ctx, record.recordId, [record.deleteReason]),
      ]);
      const deletion =
        record.deleted && record.deleteReason
          ? { reasonHash: record.deleteReason, reason: reasons.get(record.deleteReason) ?? null }
          : null;
      return { ...page, record: view, deletion };
    },
  });

  api.route({
    method: "get",
    path: "/emr/records/:recordId/versions/:version",
    summary: "One version of a record with its sealed content",
    description:
      "Earlier versions stay readable after a correction. Authorized as reading the record; a deleted record answers 410.",
    tags: ["emr"],
    auth: true,
    params: RecordId.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
    response: z.object({ record: RecordSchema, version: VersionSchema, content: ContentSchema }),
    errors: [403, 404, 410, 422, 429, 502],
    handler: async ({ params, session, requestId }) => {
      const { record } = await openRecord(ctx, session, params.recordId, "emr.record.read", requestId);
      const row = await prisma.emrRecordVersion.findUnique({
        where: { recordId_version: { recordId: record.recordId, version: params.version } },
      });
      if (!row) throw notFound("version");
      const content = await sealedContentFor(ctx, session!, row.storagePointer, row.version);
      const [view, versions] = await Promise.all([recordView(ctx, record), versionViews(ctx, [row])]);
      return { record: view, version: versions[0]!, content };
    },
  });

  api.route({
    method: "post",
    path: "/emr/records/:recordId/drafts",
    summary: "Draft a correction: the record's next version, with the reason (a doctor of the record)",
    description:
      "For the record's attending doctor or a doctor of its hospital. The doctor's client seals the new content for the " +
      "readers GET …/readers lists (version = the record's version + 1): a grantee revoked since is not among them, so the " +
      "new version's fresh content key is never wrapped for them. It is stored under a fresh pointer; the patient (or their guardian) co-signs and the doctor signs EmrUpdate through the draft routes, and the " +
      "doctor's hospital sends updateRecord. 409 if the record was deleted or a correction to the same version is under way.",
    tags: ["emr"],
    auth: true,
    status: 201,
    params: RecordId,
    body: z.object({
      title: z.string().trim().min(1, "required").max(200).optional(),
      content: SealedContentInput,
      reason: Reason,
    }),
    response: DraftSchema,
    errors: [403, 404, 409],
    handler: async ({ params, body, session, requestId }) => {
      const record = await recordToCorrect(ctx, session, params.recordId, requestId);
      const draft = await createUpdateDraft(ctx, session!, record, body);
      await audit.allowed(
        session,
        "emr.record.update",
        `draft:${draft.id}`,
        requestId,
        `version ${draft.version} of record:${record.recordId}`,
      );
      return (await draftViews(ctx, [draft]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/emr/records/:recordId/deletion",
    summary: "Delete a record (its patient, or their guardian): a tombstone on chain",
    description:
      "Signed EmrDeletion(recordId, reasonHash = keccak256(reason), nonce, deadline) by the caller, relayed by the alliance's " +
      "account. The content is no longer served (410); the versions' metadata and the reason stay in the history.",
    tags: ["emr"],
    auth: true,
    params: RecordId,
    body: SignedFields.extend({ reason: Reason }),
    response: RecordSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "emr.record.delete",
        (r) => recordFacts(ctx, session, r),
        requestId,
      );
      await deleteRecord(ctx, session!, record, body);
      await audit.allowed(session, "emr.record.delete", `record:${record.recordId}`, requestId);
      return recordView(ctx, await findRecord(ctx, record.recordId));
    },
  });

  api.route({
    method: "post",
    path: "/emr/records/:recordId/category",
    summary: "Put a record in a category (its hospital), once",
    description:
      'Sent by the hospital\'s operator to ConsentManager.classifyRecord with keccak256("category:<name>"), so that the ' +
      "patient's category grants cover it. The name is kept off chain for display.",
    tags: ["emr"],
    auth: true,
    params: RecordId,
    body: z.object({ category: CategoryName }),
    response: RecordSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const record = await recordToActOn(
        ctx,
        session,
        params.recordId,
        "emr.record.classify",
        (r) => ({ hospital: r.hospital }),
        requestId,
      );
      await classifyRecord(ctx, session!, record, body.category);
      const resource = `record:${record.recordId}`;
      await audit.allowed(session, "emr.record.classify", resource, requestId, body.category);
      return recordView(ctx, await findRecord(ctx, record.recordId));
    },
  });
}
