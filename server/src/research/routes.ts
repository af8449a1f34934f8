import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import {
  Address,
  Bytes32,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
  Uint256String,
} from "../http/schemas.ts";
import { InputsTable } from "./inputs.ts";
import { addMember, allocate, commitInputs, createProject, finalize, findProject } from "./service.ts";
import { ProjectSchema, ProjectSummarySchema, projectSummaries, projectView } from "./views.ts";

// Research projects and their allocations (科研分配). The admin signs each step as an EIP-712
// `ResearchAction {projectId, action, subject, amount, dataHash, nonce, deadline}` in the
// ResearchAllocation domain; the fields an action does not use are zero. The Shapley values themselves
// are computed elsewhere: here the API records what the admin submits.

const ProjectParam = z.object({ projectId: Bytes32 });
const SIGNED =
  "Signed by an alliance admin as an EIP-712 `ResearchAction` (ResearchAllocation domain) and relayed by the alliance's account.";

export function registerResearchRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  /** One write on a project: authorize, find (404), act, audit, answer with the project. */
  const projectStep = <B>(
    path: string,
    summary: string,
    description: string,
    body: z.ZodType<B>,
    act: (session: Session, project: Awaited<ReturnType<typeof findProject>>, body: B) => Promise<void>,
  ) =>
    api.route({
      method: "post",
      path: `/research/projects/:projectId${path}`,
      summary,
      description: `${description} ${SIGNED}`,
      tags: ["research"],
      auth: true,
      params: ProjectParam,
      body,
      response: ProjectSchema,
      errors: [403, 404, 409, 422, 502],
      handler: async ({ params, body, session, requestId }) => {
        const resource = `research:${params.projectId}`;
        await audit.authorize(session, "research.manage", resource, {}, requestId);
        await act(session!, await findProject(ctx, params.projectId), body);
        await audit.allowed(session, "research.manage", resource, requestId, path.slice(1));
        return projectView(ctx, await findProject(ctx, params.projectId));
      },
    });

  api.route({
    method: "post",
    path: "/research/projects",
    summary: "Create a research project (alliance admin)",
    description:
      "Action 1: `amount` = total, `dataHash = keccak256(description)`. Give `projectId`, or `title` and the server takes " +
      "`projectId = keccak256(abi.encodePacked(title, nonce))` (both: they must agree). " +
      SIGNED,
    tags: ["research"],
    auth: true,
    status: 201,
    body: SignedFields.extend({
      projectId: Bytes32.optional(),
      title: z.string().min(1).max(200).optional(),
      total: Uint256String,
      description: z
        .string()
        .max(10_000)
        .refine((s) => s.trim().length > 0, "required"),
    }).refine((b) => b.projectId !== undefined || b.title !== undefined, {
      path: ["projectId"],
      message: "give projectId or title",
    }),
    response: ProjectSchema,
    errors: [403, 409, 422, 502],
    handler: async ({ body, session, requestId }) => {
      await audit.authorize(session, "research.manage", "research:projects", {}, requestId);
      const projectId = await createProject(ctx, session!, body);
      await audit.allowed(session, "research.manage", `research:${projectId}`, requestId, "create");
      return projectView(ctx, await findProject(ctx, projectId));
    },
  });

  projectStep(
    "/members",
    "Add a member hospital to a project (alliance admin)",
    "Action 2: `subject` = the hospital, an approved one.",
    SignedFields.extend({ hospital: Address }),
    (s, p, b) => addMember(ctx, s, p, b),
  );

  projectStep(
    "/inputs",
    "Commit a project's characteristic function table (alliance admin)",
    "Action 3: `dataHash = keccak256(canonical JSON of inputs)` (keys sorted, no whitespace). Every player must be a member; " +
      "a later commit replaces the earlier one until the project is finalized.",
    SignedFields.extend({ inputs: InputsTable }),
    (s, p, b) => commitInputs(ctx, s, p, b),
  );

  projectStep(
    "/allocations",
    "Record a member's allocation (alliance admin)",
    "Action 4: `subject` = the member, `amount`. Needs committed inputs; replaces the member's earlier allocation. " +
      "409 `ALLOCATION_EXCEEDS_TOTAL` when the allocations would sum above the total.",
    SignedFields.extend({ hospital: Address, amount: Uint256String }),
    (s, p, b) => allocate(ctx, s, p, b),
  );

  projectStep(
    "/finalization",
    "Finalize a project (alliance admin)",
    "Action 5: needs committed inputs and allocations summing exactly to the total (409 `ALLOCATION_SUM_MISMATCH` otherwise).",
    SignedFields,
    (s, p, b) => finalize(ctx, s, p, b),
  );

  api.route({
    method: "get",
    path: "/research/projects",
    summary: "Research projects",
    tags: ["research"],
    auth: true,
    query: listQuery(["createdAt"], "createdAt:desc").extend({
      finalized: z
        .enum(["true", "false"])
        .optional()
        .meta({ description: "only finalized (true) or open (false) projects" }),
    }),
    response: pageOf(ProjectSummarySchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "research.read", "research:projects", {}, requestId);
      const where: Prisma.ResearchProjectWhereInput = query.finalized
        ? { finalized: query.finalized === "true" }
        : {};
      const orderBy = orderThen(query.sort, "projectId", "asc");
      const page = await paginateTable(query, prisma.researchProject, where, orderBy, (rows) =>
        projectSummaries(ctx, rows),
      );
      await audit.allowed(session, "research.read", "research:projects", requestId);
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/research/projects/:projectId",
    summary: "A research project: members, allocations, inputs and description",
    tags: ["research"],
    auth: true,
    params: ProjectParam,
    response: ProjectSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const resource = `research:${params.projectId}`;
      await audit.authorize(session, "research.read", resource, {}, requestId);
      const view = await projectView(ctx, await findProject(ctx, params.projectId));
      await audit.allowed(session, "research.read", resource, requestId);
      return view;
    },
  });
}
