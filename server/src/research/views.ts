import { z } from "zod";
import type { AppContext } from "../context.ts";
import { textHashOf, textsOf } from "../evidence/texts.ts";
import type { ResearchAllocationRow, ResearchProject } from "../generated/prisma/client.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";
import { namesOf } from "../members/views.ts";

// Research projects as the API shows them. Amounts are decimal strings (uint256 on chain).

export const ProjectSummarySchema = z
  .object({
    projectId: z.string(),
    total: z.string(),
    allocated: z.string().meta({ description: "Σ of the members' allocations" }),
    memberCount: z.number().int(),
    description: z.string().nullable(),
    descriptionHash: z.string(),
    inputsHash: z.string().nullable(),
    finalized: z.boolean(),
    createdAt: z.number(),
    txHash: z.string().nullable().meta({ description: "The transaction that created the project" }),
  })
  .meta({ id: "ResearchProjectSummary" });
type Summary = z.infer<typeof ProjectSummarySchema>;

export const ProjectSchema = ProjectSummarySchema.extend({
  members: z.array(
    z.object({
      hospital: z.string(),
      name: z.string().nullable(),
      amount: z.string().nullable().meta({ description: "null until an allocation is recorded" }),
    }),
  ),
  inputs: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ description: "The committed characteristic function table" }),
  inputsVerified: z
    .boolean()
    .nullable()
    .meta({
      description: "Whether keccak256 of the kept inputs equals the hash on chain (null: none committed)",
    }),
}).meta({ id: "ResearchProject" });
export type ProjectView = z.infer<typeof ProjectSchema>;

const sumOf = (rows: ResearchAllocationRow[]) =>
  rows.reduce((s, r) => s + BigInt(r.amount ?? 0), 0n).toString();

export async function projectSummaries(ctx: AppContext, projects: ResearchProject[]): Promise<Summary[]> {
  const ids = projects.map((p) => p.projectId);
  const [rows, texts, txHashOf] = await Promise.all([
    ctx.prisma.researchAllocationRow.findMany({ where: { projectId: { in: ids } } }),
    textsOf(
      ctx,
      projects.map((p) => p.descriptionHash),
    ),
    txHashesOf(ctx, projects),
  ]);
  return projects.map((p) => {
    const mine = rows.filter((r) => r.projectId === p.projectId);
    return {
      projectId: p.projectId,
      total: p.total,
      allocated: sumOf(mine),
      memberCount: mine.length,
      description: texts.get(p.descriptionHash) ?? null,
      descriptionHash: p.descriptionHash,
      inputsHash: p.inputsHash,
      finalized: p.finalized,
      createdAt: Number(p.createdAt),
      txHash: txHashOf(p),
    };
  });
}

export async function projectView(ctx: AppContext, p: ResearchProject): Promise<ProjectView> {
  const [[summary], rows, texts] = await Promise.all([
    projectSummaries(ctx, [p]),
    ctx.prisma.researchAllocationRow.findMany({
      where: { projectId: p.projectId },
      orderBy: { hospital: "asc" },
    }),
    textsOf(ctx, [p.inputsHash]),
  ]);
  const names = await namesOf(
    ctx,
    rows.map((r) => r.hospital),
  );
  const text = p.inputsHash ? texts.get(p.inputsHash) : undefined;
  return {
    ...summary!,
    members: rows.map((r) => ({
      hospital: r.hospital,
      name: names.get(r.hospital) ?? null,
      amount: r.amount,
    })),
    inputs: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    inputsVerified: p.inputsHash ? !!text && textHashOf(text) === p.inputsHash : null,
  };
}
