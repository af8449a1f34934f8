import { z } from "zod";
import type { AppContext } from "../context.ts";
import { patientFacts } from "../access/facts.ts";
import type { Prisma, Visit } from "../generated/prisma/client.ts";
import {
  Address,
  BooleanQuery,
  Bytes32,
  listQuery,
  Millis,
  orderThen,
  pageOf,
  pageSummary,
  paginateTable,
  SignedFields,
  TimeRange,
  timeWhere,
} from "../http/schemas.ts";
import { findVisit, openVisit, recordStep, visitScope } from "./service.ts";
import { priorityPage } from "./queue.ts";
import { TimelineSchema, timelineOf, VisitSchema, visitViews } from "./views.ts";

const VisitId = z.object({ visitId: Bytes32 });
const Details = z.union([z.record(z.string(), z.unknown()), z.string().trim().min(1, "required")]).meta({
  description:
    "What was done (an object, e.g. a prescription, or text); its canonical JSON's keccak256 goes on chain",
});

export function registerProcessRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/visits",
    summary: "Open a visit at a hospital (the patient)",
    description:
      "The patient signs VisitOpening(visitId, patient, hospital, nonce, deadline) with visitId = keccak256(abi.encodePacked(" +
      "patient, hospital, openedAt)); the hospital's operator sends it to CareProcess.openVisit.",
    tags: ["care"],
    auth: true,
    status: 201,
    body: SignedFields.extend({ hospital: Address, openedAt: Millis }),
    response: VisitSchema,
    errors: [403, 409, 422, 502],
    handler: async ({ body, session, requestId }) => {
      await audit.authorize(
        session,
        "visit.open",
        `hospital:${body.hospital}`,
        { owner: session?.address },
        requestId,
      );
      const visit = await openVisit(ctx, session!, body);
      await audit.allowed(session, "visit.open", `visit:${visit.visitId}`, requestId);
      return (await visitViews(ctx, [visit]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/visits/:visitId/steps",
    summary: "Record the next care step of a visit (a doctor of the visit's hospital)",
    description:
      "Steps 1 挂号, 2 取号, 3 门诊, 4 化验 (optional), 5 缴费拿药, 6 住院 (optional), 7 出院, strictly in this order. The doctor " +
      "signs CareStep(visitId, step, contentHash, continues, nonce, deadline) where contentHash = keccak256 of the details' " +
      "canonical JSON; the visit hospital's operator sends it. Step 5 finishes the visit unless `continues` (admission follows). " +
      "A step that cannot follow is a 409; a refusal by the contract a 422 naming its error.",
    tags: ["care"],
    auth: true,
    status: 201,
    params: VisitId,
    body: SignedFields.extend({
      step: z.number().int().min(1, "1..7").max(7, "1..7"),
      details: Details,
      continues: z.boolean().default(false),
    }),
    response: TimelineSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const visit = await findVisit(ctx, params.visitId);
      const resource = `visit:${visit.visitId}`;
      await audit.authorize(session, "visit.step", resource, { hospital: visit.hospital }, requestId);
      await recordStep(ctx, session!, visit, body);
      await audit.allowed(session, "visit.step", resource, requestId, `step ${body.step}`);
      return timelineOf(ctx, await findVisit(ctx, visit.visitId));
    },
  });

  api.route({
    method: "get",
    path: "/visits",
    summary: "Visits the caller may see",
    description:
      "A patient sees their own and those of the patients they are an active guardian of; a doctor the visits at their " +
      "hospital; a hospital its visits; a regulator all. `from`/`to` bound the opening time. Each visit carries the " +
      "patient's tier and perks now. `sort=priority:desc` is the waiting queue (with `finished=false`): visits of " +
      "patients whose tier has queue priority first, then the others, each group in opening order (oldest first); " +
      "`priority:asc` puts the groups the other way round.",
    tags: ["care"],
    auth: true,
    query: listQuery(["openedAt", "finishedAt", "priority"], "openedAt:desc").extend({
      ...TimeRange.shape,
      patient: Address.optional(),
      hospital: Address.optional(),
      finished: BooleanQuery.optional(),
    }),
    response: pageOf(VisitSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "visit.list", "visits", {}, requestId);
      const where: Prisma.VisitWhereInput = {
        AND: [
          await visitScope(ctx, session!),
          {
            patient: query.patient,
            hospital: query.hospital,
            finished: query.finished,
            openedAt: timeWhere(query),
          },
        ],
      };
      const view = (rows: Visit[]) => visitViews(ctx, rows);
      const [field, direction] = query.sort.split(":") as [
        "openedAt" | "finishedAt" | "priority",
        "asc" | "desc",
      ];
      const page =
        field === "priority"
          ? await priorityPage(ctx, where, direction, query, view)
          : await paginateTable(
              query,
              prisma.visit,
              where,
              orderThen(`${field}:${direction}`, "visitId", "asc"),
              view,
            );
      await audit.allowed(session, "visit.list", "visits", requestId, pageSummary(page));
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/visits/:visitId",
    summary: "A visit's timeline: its steps in order with their details, and the steps that may follow",
    tags: ["care"],
    auth: true,
    params: VisitId,
    response: TimelineSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const visit = await findVisit(ctx, params.visitId);
      const resource = `visit:${visit.visitId}`;
      const facts = await patientFacts(ctx, session, visit.patient, { hospital: visit.hospital });
      await audit.authorize(session, "visit.read", resource, facts, requestId);
      const timeline = await timelineOf(ctx, visit);
      await audit.allowed(session, "visit.read", resource, requestId);
      return timeline;
    },
  });
}
