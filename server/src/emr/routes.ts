import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { forbidden } from "../http/errors.ts";
import { Address, Bytes32, pageOf, Pagination, Signature } from "../http/schemas.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { openRecord } from "../access/record-access.ts";
import { cosignDraft, createDraft, emrTypedDataJson, findDraft, readBundle, signAndSubmit } from "./service.ts";
import { DRAFT_STATUSES, DraftSchema, draftViews, RecordSchema, recordViews } from "./views.ts";

const DraftId = z.object({ id: z.string().uuid("must be a draft id (UUID)") });
const FhirBundle = z.record(z.string(), z.unknown()).meta({ description: "FHIR R4 Bundle of type document", id: "FhirBundle" });

/** Which records a caller may list: their own as patient, those they wrote, their hospital's, or all. */
function recordScope(s: Session): Prisma.EmrRecordWhereInput | null {
  if (hasRole(s, "alliance-admin")) return {};
  if (hasRole(s, "patient")) return { patient: s.address };
  if (hasRole(s, "doctor")) return { doctor: s.address };
  if (hasRole(s, "hospital")) return { hospital: s.address };
  return null;
}

export function registerEmrRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/emr/drafts",
    summary: "Draft a record for a patient (doctor)",
    description: "Encrypts the FHIR Bundle, stores it off chain and returns the draft the patient and the doctor will sign.",
    tags: ["emr"],
    auth: true,
    status: 201,
    body: z.object({ patient: Address, title: z.string().trim().min(1, "required").max(200), bundle: FhirBundle }),
    response: DraftSchema,
    errors: [403, 409],
    handler: async ({ body, session, requestId }) => {
      await audit.authorize(session, "emr.draft.create", `patient:${body.patient}`, {}, requestId);
      const draft = await createDraft(ctx, session!, body);
      await audit.allowed(session, "emr.draft.create", `draft:${draft.id}`, requestId);
      return (await draftViews(ctx, [draft]))[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/emr/drafts",
    summary: "My drafts (as patient or as doctor)",
    tags: ["emr"],
    auth: true,
    query: Pagination.extend({ status: z.enum(DRAFT_STATUSES).optional() }),
    response: pageOf(DraftSchema),
    handler: async ({ query, session }) => {
      const s = session!;
      const where: Prisma.EmrDraftWhereInput = { OR: [{ patient: s.address }, { doctor: s.address }], status: query.status };
      const [rows, total] = await Promise.all([
        prisma.emrDraft.findMany({ where, orderBy: { createdAt: "desc" }, skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
        prisma.emrDraft.count({ where }),
      ]);
      return { items: await draftViews(ctx, rows), page: query.page, pageSize: query.pageSize, total };
    },
  });

  api.route({
    method: "get",
    path: "/emr/drafts/:id",
    summary: "A draft with its content and the EIP-712 data for the caller to sign",
    tags: ["emr"],
    auth: true,
    params: DraftId,
    response: z.object({ draft: DraftSchema, bundle: FhirBundle, typedData: z.record(z.string(), z.unknown()).nullable() }),
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const d = await findDraft(ctx, params.id);
      await audit.authorize(session, "emr.draft.read", `draft:${d.id}`, { owner: d.patient, doctor: d.doctor }, requestId);
      const bundle = (await readBundle(ctx, d.storagePointer)) as Record<string, unknown>;
      await audit.allowed(session, "emr.draft.read", `draft:${d.id}`, requestId);
      const signer = session!.address === d.patient ? "patient" : "doctor";
      return { draft: (await draftViews(ctx, [d]))[0]!, bundle, typedData: emrTypedDataJson(ctx, d, signer) as Record<string, unknown> };
    },
  });

  api.route({
    method: "post",
    path: "/emr/drafts/:id/patient-signature",
    summary: "Co-sign a draft (its patient)",
    tags: ["emr"],
    auth: true,
    params: DraftId,
    body: z.object({ signature: Signature }),
    response: DraftSchema,
    errors: [403, 404, 409],
    handler: async ({ params, body, session, requestId }) => {
      const d = await findDraft(ctx, params.id);
      await audit.authorize(session, "emr.draft.cosign", `draft:${d.id}`, { owner: d.patient }, requestId);
      const signed = await cosignDraft(ctx, d, body.signature);
      await audit.allowed(session, "emr.draft.cosign", `draft:${d.id}`, requestId);
      return (await draftViews(ctx, [signed]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/emr/drafts/:id/doctor-signature",
    summary: "Sign a co-signed draft and write it on chain (its doctor)",
    description: "Sent by the doctor's hospital account. Answers once the record is in the mirror; a refusal by the contract is a 422 naming its error.",
    tags: ["emr"],
    auth: true,
    params: DraftId,
    body: z.object({ signature: Signature }),
    response: DraftSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const d = await findDraft(ctx, params.id);
      await audit.authorize(session, "emr.draft.sign", `draft:${d.id}`, { doctor: d.doctor }, requestId);
      const submitted = await signAndSubmit(ctx, d, body.signature);
      await audit.allowed(session, "emr.record.write", `record:${d.recordId}`, requestId);
      return (await draftViews(ctx, [submitted]))[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/emr/records",
    summary: "Records on chain that the caller may see",
    description: "A patient sees their own, a doctor those they wrote, a hospital its own, an alliance admin all.",
    tags: ["emr"],
    auth: true,
    query: Pagination.extend({ patient: Address.optional(), doctor: Address.optional() }),
    response: pageOf(RecordSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      const scope = recordScope(session!);
      if (!scope) {
        await audit.record({ session, action: "emr.record.list", resource: "records", outcome: "denied", requestId: requestId });
        throw forbidden("not allowed to list records");
      }
      const where: Prisma.EmrRecordWhereInput = { AND: [scope, { patient: query.patient, doctor: query.doctor }] };
      const [rows, total] = await Promise.all([
        prisma.emrRecord.findMany({ where, orderBy: { writtenAt: "desc" }, skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
        prisma.emrRecord.count({ where }),
      ]);
      await audit.allowed(session, "emr.record.list", "records", requestId);
      return { items: await recordViews(ctx, rows), page: query.page, pageSize: query.pageSize, total };
    },
  });

  api.route({
    method: "get",
    path: "/emr/records/:recordId",
    summary: "A record with its decrypted content",
    description:
      "Its patient, their guardian and its author read it at once. Anyone else (another hospital, its doctors, a regulator) " +
      "is decided on chain by ConsentManager under the patient's grant; the request and its outcome are an AccessRequested " +
      "event the patient sees, and a denial counts toward the blacklist. A deleted record answers 410.",
    tags: ["emr"],
    auth: true,
    params: z.object({ recordId: Bytes32 }),
    response: z.object({ record: RecordSchema, bundle: FhirBundle }),
    errors: [403, 404, 410, 422, 502],
    handler: async ({ params, session, requestId }) => {
      const { record } = await openRecord(ctx, session, params.recordId, "emr.record.read", requestId);
      const bundle = (await readBundle(ctx, record.storagePointer)) as Record<string, unknown>;
      return { record: (await recordViews(ctx, [record]))[0]!, bundle };
    },
  });
}
