import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import {
  Address,
  BooleanQuery,
  Bytes32,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { findRecord } from "../emr/records.ts";
import { keyWrapAad } from "@yyl/sdk";
import { ContentSchema, escrowWrapFor } from "../keys/wraps.ts";
import { publicKeysOf } from "../keys/account-keys.ts";
import { RecordSchema, recordView } from "../emr/views.ts";
import {
  accessViews,
  breakGlass,
  EmergencyAccessSchema,
  findAccess,
  REASON_NAMES,
  reviewAccess,
  visibleAccesses,
} from "./accesses.ts";
import { registerNotificationRoutes } from "./notifications.ts";


/** Break-glass access and its review, and the notifications that tell patients about it. */
export function registerEmergencyRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/emergency/accesses",
    summary: "Break the glass: open a record without a grant (certified doctor)",
    description:
      "The doctor signs an EIP-712 `EmergencyAccess` (EmergencyAccess) with reasonCode 1 unconscious patient, 2 " +
      "life-threatening emergency or 3 other (then `justification` is required) and justificationHash = " +
      "keccak256(justification), or zero without one. The operator of the doctor's hospital sends it; the chain " +
      "refuses an uncertified doctor and more than the allowed accesses per window (422). Answers the access and the " +
      "record sealed with a key for the doctor alone (the break-glass escrow wrap re-wrapped to the doctor's public key). The patient is notified and an alliance admin reviews it.",
    tags: ["emergency"],
    auth: true,
    status: 201,
    body: z
      .object({
        recordId: Bytes32,
        reasonCode: z
          .union([z.literal(1), z.literal(2), z.literal(3)])
          .meta({ description: "1 unconscious, 2 life-threatening, 3 other" }),
        justification: z.string().trim().min(1).max(2000).optional(),
      })
      .extend(SignedFields.shape),
    response: z.object({ access: EmergencyAccessSchema, record: RecordSchema, content: ContentSchema }),
    errors: [403, 404, 409, 422, 502],
    handler: async ({ body, session, requestId }) => {
      const resource = `record:${body.recordId}`;
      await audit.authorize(session, "emr.emergency.open", resource, {}, requestId);
      const record = await findRecord(ctx, body.recordId);
      const { access, txHash } = await breakGlass(ctx, session!, record, body, requestId);
      // The escrow key's wrap of the latest version, re-wrapped to the doctor's key once the access is on chain.
      const doctorKey = (await publicKeysOf(ctx, [session!.address])).get(session!.address)!;
      const wraps = await escrowWrapFor(
        ctx,
        record.storagePointer,
        keyWrapAad(record.recordId, record.version),
        session!.address,
        doctorKey,
      );
      const blob = await ctx.prisma.emrBlob.findUniqueOrThrow({ where: { storagePointer: record.storagePointer } });
      await audit.allowed(
        session,
        "emr.emergency.open",
        resource,
        requestId,
        `break-glass: access ${access.accessId}, reason ${REASON_NAMES[body.reasonCode]}, tx ${txHash}`,
      );
      return {
        access: (await accessViews(ctx, [access]))[0]!,
        record: await recordView(ctx, record),
        content: { envelope: blob.envelope, wraps },
      };
    },
  });

  api.route({
    method: "get",
    path: "/emergency/accesses",
    summary: "Break-glass accesses (reviewed=false: the review queue)",
    description:
      "Alliance admins and regulators see all; a patient those on their records (a guardian those of the patients they " +
      "act for); a doctor their own; a hospital its doctors'.",
    tags: ["emergency"],
    auth: true,
    query: listQuery(["accessedAt"], "accessedAt:desc")
      .extend({
        reviewed: BooleanQuery.optional(),
        patient: Address.optional(),
        doctor: Address.optional(),
        recordId: Bytes32.optional(),
      })
      .extend(TimeRange.shape),
    response: pageOf(EmergencyAccessSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "emr.emergency.list", "emergency-accesses", {}, requestId);
      const filters: Prisma.EmergencyAccessEntryWhereInput = {
        patient: query.patient,
        doctor: query.doctor,
        recordId: query.recordId,
        accessedAt: timeWhere(query),
        ...(query.reviewed === undefined ? {} : { reviewOutcome: query.reviewed ? { not: null } : null }),
      };
      const where = { AND: [await visibleAccesses(ctx, session!), filters] };
      const orderBy = orderThen(query.sort, "accessId", "asc");
      const page = await paginateTable(query, prisma.emergencyAccessEntry, where, orderBy, (rows) =>
        accessViews(ctx, rows),
      );
      await audit.allowed(session, "emr.emergency.list", "emergency-accesses", requestId);
      return page;
    },
  });

  api.route({
    method: "post",
    path: "/emergency/accesses/:accessId/review",
    summary: "Review a break-glass access as justified or abusive (alliance admin)",
    description:
      "The admin signs an EIP-712 `EmergencyReview` (EmergencyAccess) with outcome 1 justified or 2 abusive; once per access.",
    tags: ["emergency"],
    auth: true,
    params: z.object({ accessId: z.coerce.number().int().positive() }),
    body: z.object({ outcome: z.enum(["justified", "abusive"]) }).extend(SignedFields.shape),
    response: EmergencyAccessSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const resource = `emergency-access:${params.accessId}`;
      await audit.authorize(session, "emr.emergency.review", resource, {}, requestId);
      const current = await findAccess(ctx, params.accessId);
      const { access, txHash } = await reviewAccess(ctx, session!, current, body);
      await audit.allowed(
        session,
        "emr.emergency.review",
        resource,
        requestId,
        `${body.outcome}, tx ${txHash}`,
      );
      return (await accessViews(ctx, [access]))[0]!;
    },
  });

  registerNotificationRoutes(ctx);
}
