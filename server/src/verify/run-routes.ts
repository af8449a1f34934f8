import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { notFound } from "../http/errors.ts";
import { listQuery, orderThen, pageOf, paginateTable, TimeRange, timeWhere } from "../http/schemas.ts";
import { RUN_STATUSES, RunSchema, RunSummarySchema, runnerOf, runSummaryView, runView } from "./runs.ts";

// The runs of the check of the whole mirror: the latest report, their list, and a run on demand.

export function registerRunRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/verify/report",
    summary: "The latest finished check of the whole mirror against the chain",
    description:
      "Every record (its content hash recomputed from the stored ciphertext), grant, visit and hospital score, checked by " +
      "the background check every VERIFY_INTERVAL_MS or by POST /verify/runs. 404 until a run has finished.",
    tags: ["verify"],
    auth: true,
    response: RunSchema,
    errors: [403, 404],
    handler: async ({ session, requestId }) => {
      await audit.authorize(session, "verify.report", "verification-runs", {}, requestId);
      const run = await prisma.verificationRun.findFirst({
        where: { finishedAt: { not: null } },
        orderBy: { id: "desc" },
      });
      if (!run) throw notFound("finished verification run");
      await audit.allowed(session, "verify.report", `verification-run:${run.id}`, requestId);
      return runView(run);
    },
  });

  api.route({
    method: "get",
    path: "/verify/runs",
    summary: "Runs of the check of the whole mirror (without their reports)",
    tags: ["verify"],
    auth: true,
    query: listQuery(["startedAt"], "startedAt:desc")
      .extend({ status: z.enum(RUN_STATUSES).optional() })
      .extend(TimeRange.shape),
    response: pageOf(RunSummarySchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "verify.report", "verification-runs", {}, requestId);
      const where: Prisma.VerificationRunWhereInput = { status: query.status, startedAt: timeWhere(query) };
      const orderBy = orderThen(query.sort, "id", "desc");
      const page = await paginateTable(query, prisma.verificationRun, where, orderBy, (rows) =>
        rows.map(runSummaryView),
      );
      await audit.allowed(session, "verify.report", "verification-runs", requestId);
      return page;
    },
  });

  api.route({
    method: "post",
    path: "/verify/runs",
    summary: "Check the whole mirror against the chain now (alliance admin)",
    description:
      "Starts a run (after the one under way, if any, has ended) and answers when it has finished.",
    tags: ["verify"],
    auth: true,
    status: 201,
    response: RunSchema,
    errors: [403],
    handler: async ({ session, requestId }) => {
      await audit.authorize(session, "verify.run", "verification-runs", {}, requestId);
      const run = await runnerOf(ctx).run();
      await audit.allowed(
        session,
        "verify.run",
        `verification-run:${run.id}`,
        requestId,
        `${run.status}: ${run.checked} checked, ${run.mismatches} mismatched`,
      );
      return runView(run);
    },
  });
}
