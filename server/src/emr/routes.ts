import { z } from "zod";
import type { AppContext } from "../context.ts";
import { isDelegateOf } from "../access/facts.ts";
import { Address, listQuery, Millis, orderThen, pageOf, paginateTable, Signature } from "../http/schemas.ts";
import { ContentSchema, SealedContentInput } from "../keys/wraps.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { registerRecordRoutes } from "./record-routes.ts";
import { delegatorsOf } from "../consent/acting-for.ts";
import {
  cosignDraft,
  createDraft,
  emrTypedDataJson,
  findDraft,
  sealedContentFor,
  signAndSubmit,
} from "./service.ts";
import { DRAFT_KINDS, DRAFT_STATUSES, DraftSchema, draftViews } from "./views.ts";

const DraftId = z.object({ id: z.string().uuid("must be a draft id (UUID)") });

export function registerEmrRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/emr/drafts",
    summary: "Draft a record for a patient (doctor)",
    description:
      "The doctor's client seals the FHIR Bundle (sdk sealRecordVersion) for the readers GET /keys/readers lists, with " +
      "recordId = recordIdOf(createdAt, patient) and version 1; the server checks the wraps, stores the ciphertext and " +
      "returns the draft the patient and the doctor will sign.",
    tags: ["emr"],
    auth: true,
    status: 201,
    body: z.object({
      patient: Address,
      title: z.string().trim().min(1, "required").max(200),
      createdAt: Millis.meta({ description: "When the record was made (ms); with the patient it fixes the record id" }),
      content: SealedContentInput,
    }),
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
    summary: "My drafts (as patient, as their guardian, or as doctor)",
    description:
      "Drafts of new records (kind write) and of corrections (kind update) that the caller signs or signed.",
    tags: ["emr"],
    auth: true,
    query: listQuery(["createdAt", "updatedAt", "version"], "createdAt:desc").extend({
      status: z.enum(DRAFT_STATUSES).optional(),
      kind: z.enum(DRAFT_KINDS).optional(),
    }),
    response: pageOf(DraftSchema),
    handler: async ({ query, session }) => {
      const s = session!;
      const patients = [s.address, ...(await delegatorsOf(ctx, s))];
      const where: Prisma.EmrDraftWhereInput = {
        OR: [{ patient: { in: patients } }, { doctor: s.address }],
        status: query.status,
        kind: query.kind,
      };
      const orderBy = orderThen(query.sort, "id", "asc");
      return paginateTable(query, prisma.emrDraft, where, orderBy, (rows) => draftViews(ctx, rows));
    },
  });

  api.route({
    method: "get",
    path: "/emr/drafts/:id",
    summary: "A draft with its sealed content and the EIP-712 data for the caller to sign",
    description:
      "The content comes with the wraps the caller can open: the patient's client opens it and checks it against the " +
      "draft's contentHash and fieldsRoot before co-signing.",
    tags: ["emr"],
    auth: true,
    params: DraftId,
    response: z.object({
      draft: DraftSchema,
      content: ContentSchema,
      typedData: z.record(z.string(), z.unknown()).nullable(),
    }),
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const d = await findDraft(ctx, params.id);
      const delegate = await isDelegateOf(ctx, session, d.patient);
      await audit.authorize(
        session,
        "emr.draft.read",
        `draft:${d.id}`,
        { owner: d.patient, doctor: d.doctor, delegate },
        requestId,
      );
      const content = await sealedContentFor(ctx, session!, d.storagePointer, d.version);
      await audit.allowed(session, "emr.draft.read", `draft:${d.id}`, requestId);
      // The patient and their guardian sign the patient's side (with the same nonce value, each from
      // their own nonce space); the doctor signs theirs.
      const signer = session!.address === d.doctor ? "doctor" : "patient";
      return {
        draft: (await draftViews(ctx, [d]))[0]!,
        content,
        typedData: emrTypedDataJson(ctx, d, signer) as Record<string, unknown>,
      };
    },
  });

  api.route({
    method: "post",
    path: "/emr/drafts/:id/patient-signature",
    summary: "Co-sign a draft (its patient, or their guardian)",
    description:
      "A guardian's delegation must carry the co-sign scope; the contract checks it when the doctor submits.",
    tags: ["emr"],
    auth: true,
    params: DraftId,
    body: z.object({ signature: Signature }),
    response: DraftSchema,
    errors: [403, 404, 409],
    handler: async ({ params, body, session, requestId }) => {
      const d = await findDraft(ctx, params.id);
      const delegate = await isDelegateOf(ctx, session, d.patient);
      await audit.authorize(
        session,
        "emr.draft.cosign",
        `draft:${d.id}`,
        { owner: d.patient, delegate },
        requestId,
      );
      const signed = await cosignDraft(ctx, d, body.signature, session!.address);
      await audit.allowed(session, "emr.draft.cosign", `draft:${d.id}`, requestId);
      return (await draftViews(ctx, [signed]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/emr/drafts/:id/doctor-signature",
    summary: "Sign a co-signed draft and write it on chain (its doctor)",
    description:
      "Sent by the doctor's hospital account: writeRecord for a new record, updateRecord for a correction. Answers once the " +
      "record is in the mirror; a refusal by the contract is a 422 naming its error (the draft is then failed). A correction " +
      "whose record was deleted or moved past the version it was drafted on is a 409 and leaves the draft as it was.",
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
      await audit.allowed(
        session,
        d.kind === "update" ? "emr.record.update" : "emr.record.write",
        `record:${d.recordId}`,
        requestId,
        `version ${d.version}`,
      );
      return (await draftViews(ctx, [submitted]))[0]!;
    },
  });

  registerRecordRoutes(ctx);
}
