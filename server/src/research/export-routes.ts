import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { ResearchExport } from "../generated/prisma/client.ts";
import { Bytes32 } from "../http/schemas.ts";
import { createExport, findExport, memberHospital } from "./exports.ts";
import { findProject } from "./service.ts";

// De-identified research exports (level-2 grants only). Record content is end-to-end encrypted, so
// the export is made in the exporting member's client: it opens the records, runs the sdk's
// deidentifyBundle under a fresh newExportSalt() per export and uploads the result with the salt's
// SHA-256. The salt itself never reaches the server (docs/crypto.md, "De-identification").

const ProjectParam = z.object({ projectId: Bytes32 });
const ExportParam = ProjectParam.extend({ exportId: z.coerce.number().int().min(1).max(2_147_483_647) });
const ReportItem = z.object({ path: z.string().max(500), kind: z.string().max(32) }).passthrough();
const ExportedRecord = z.object({
  recordId: Bytes32,
  version: z.number().int().min(1).max(2_147_483_647),
  bundle: z
    .record(z.string(), z.unknown())
    .refine((b) => b.resourceType === "Bundle", "must be a FHIR Bundle (resourceType \"Bundle\")")
    .meta({ description: "The record version's FHIR Bundle after sdk deidentifyBundle" }),
  report: z
    .object({ removed: z.array(ReportItem).max(10_000), generalized: z.array(ReportItem).max(10_000) })
    .meta({ description: "deidentifyBundle's report of what it removed or generalized" }),
});
const ExportSummary = z
  .object({
    id: z.number(),
    projectId: z.string(),
    exporter: z.string(),
    hospital: z.string(),
    saltHash: z.string().meta({ description: "0x + SHA-256 of the export's salt (UTF-8): the exporter proves the salt by showing it" }),
    createdAt: z.number(),
    records: z.array(z.object({ recordId: z.string(), version: z.number() })),
  })
  .meta({ id: "ResearchExportSummary" });
const ExportDetail = ExportSummary.extend({
  records: z.array(
    z.object({ recordId: z.string(), version: z.number(), bundle: z.record(z.string(), z.unknown()), report: z.record(z.string(), z.unknown()) }),
  ),
}).meta({ id: "ResearchExport" });
const MEMBERS = "For a member hospital of the project and its doctors; others get 403, recorded.";

export function registerResearchExportRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  /** Finds the project (404), then authorizes the caller as a member of it (403, recorded). */
  const asMember = async (action: "research.export" | "research.export.read", session: Parameters<typeof memberHospital>[1], projectId: string, requestId: string) => {
    await findProject(ctx, projectId);
    const hospital = await memberHospital(ctx, session, projectId);
    await audit.authorize(session, action, `research:${projectId}`, { hospital }, requestId);
    return hospital!;
  };

  const summaries = async (exports: ResearchExport[]) => {
    const rows = await prisma.researchExportRecord.findMany({
      where: { exportId: { in: exports.map((e) => e.id) } },
      select: { exportId: true, recordId: true, version: true },
      orderBy: { id: "asc" },
    });
    return exports.map((e) => ({
      id: e.id,
      projectId: e.projectId,
      exporter: e.exporter,
      hospital: e.hospital,
      saltHash: e.saltHash,
      createdAt: Number(e.createdAt),
      records: rows.filter((r) => r.exportId === e.id).map((r) => ({ recordId: r.recordId, version: r.version })),
    }));
  };

  api.route({
    method: "post",
    path: "/research/projects/:projectId/exports",
    summary: "Upload a de-identified export of records held under level-2 grants (member hospital or its doctor)",
    description:
      "Each record must be covered, for the caller or their hospital, by an active level-2 (research) grant (record or " +
      "category scope); a level-1 grant is refused with 403 naming the record. The server runs the sdk's " +
      "de-identification again on each bundle and refuses with 400 naming `records.<i>.bundle` when it would still " +
      "remove or change anything (a name, phone, ID number, address, exact date, raw identifier); nothing is stored " +
      "then. Make a fresh salt per export (sdk newExportSalt), keep it, and send only `saltHash` = 0x + SHA-256 of it. " +
      MEMBERS,
    tags: ["research"],
    auth: true,
    status: 201,
    params: ProjectParam,
    body: z.object({
      saltHash: Bytes32.meta({ description: "0x + SHA-256 of the export's salt (its UTF-8 text); the salt itself is never sent" }),
      records: z
        .array(ExportedRecord)
        .min(1)
        .max(200)
        .refine((rs) => new Set(rs.map((r) => `${r.recordId}:${r.version}`)).size === rs.length, "must not repeat a record version"),
    }),
    response: ExportSummary,
    errors: [403, 404],
    handler: async ({ params, body, session, requestId }) => {
      const hospital = await asMember("research.export", session, params.projectId, requestId);
      const created = await createExport(ctx, session!, params.projectId, hospital, body, requestId);
      await audit.allowed(session, "research.export", `research:${params.projectId}`, requestId, `export ${created.id}: ${body.records.length} records`);
      return (await summaries([created]))[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/research/projects/:projectId/exports",
    summary: "List a project's de-identified exports (member hospital or its doctor)",
    description: `Which records each export holds, by whom, and its salt hash; the bundles are read one export at a time. ${MEMBERS}`,
    tags: ["research"],
    auth: true,
    params: ProjectParam,
    response: z.object({ items: z.array(ExportSummary) }),
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      await asMember("research.export.read", session, params.projectId, requestId);
      const exports = await prisma.researchExport.findMany({ where: { projectId: params.projectId }, orderBy: { id: "asc" } });
      await audit.allowed(session, "research.export.read", `research:${params.projectId}`, requestId, `${exports.length} exports`);
      return { items: await summaries(exports) };
    },
  });

  api.route({
    method: "get",
    path: "/research/projects/:projectId/exports/:exportId",
    summary: "Read one de-identified export with its bundles (member hospital or its doctor)",
    description: `Every read is audited. ${MEMBERS}`,
    tags: ["research"],
    auth: true,
    params: ExportParam,
    response: ExportDetail,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      await asMember("research.export.read", session, params.projectId, requestId);
      const found = await findExport(ctx, params.projectId, params.exportId);
      const rows = await prisma.researchExportRecord.findMany({ where: { exportId: found.id }, orderBy: { id: "asc" } });
      await audit.allowed(session, "research.export.read", `research:${params.projectId}:export:${found.id}`, requestId);
      const [summary] = await summaries([found]);
      return {
        ...summary!,
        records: rows.map((r) => ({ recordId: r.recordId, version: r.version, bundle: JSON.parse(r.bundle), report: JSON.parse(r.report) })),
      };
    },
  });
}
