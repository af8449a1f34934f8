import { canonicalJson } from "@yyl/sdk";
import { getAddress } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { textHashOf, textsOf } from "../evidence/texts.ts";
import { ApiError } from "../http/errors.ts";
import { Bytes32 } from "../http/schemas.ts";
import { namesOf } from "../members/views.ts";
import { contributionsOf } from "./contributions.ts";
import { findProject } from "./service.ts";
import { amountsOf, InputsError, runShapley } from "./shapley-run.ts";

// The Shapley run of a research project (科研成果利益分配). With `source=chain` the server builds the
// records form of the inputs from the chain mirror (contributions.ts) — what the admin then signs and
// commits; with `source=inputs` it computes from the inputs committed on chain, so anyone can check the
// allocations recorded there. Recording stays the admin's signed steps (POST …/inputs, …/allocations,
// …/finalization).

const PlayerSchema = z.object({
  hospital: z.string(),
  name: z.string().nullable(),
  records: z.number().int().nullable().meta({ description: "Records the member brings (records form only)" }),
  value: z.string().meta({ description: "φᵢ as a decimal (points in the records form)" }),
  fraction: z.string().nullable().meta({ description: 'φᵢ exactly, "p/q", when computed exactly' }),
  standardError: z.number().nullable().meta({ description: "Monte Carlo only" }),
  standalone: z.string().meta({ description: "v({i}): the member's worth alone" }),
  share: z.number().meta({ description: "φᵢ / v(N)" }),
  amount: z
    .string()
    .nullable()
    .meta({ description: "Whole units of the project's total (largest remainder); null when v(N) = 0" }),
  recorded: z.string().nullable().meta({ description: "The allocation recorded on chain, if any" }),
});

const ShapleySchema = z
  .object({
    projectId: z.string(),
    source: z.enum(["chain", "inputs"]),
    model: z.enum(["records", "table"]),
    method: z.enum(["exact", "monte-carlo"]),
    total: z.string(),
    grandCoalitionValue: z.string().meta({ description: "v(N) = Σφᵢ" }),
    players: z.array(PlayerSchema),
    coalitionsEvaluated: z.number().nullable(),
    permutations: z.number().nullable(),
    seed: z
      .number()
      .nullable()
      .meta({ description: "Monte Carlo seed (from the project id): the same run every time" }),
    inputs: z.record(z.string(), z.unknown()),
    inputsHash: z
      .string()
      .meta({ description: "keccak256 of the inputs' canonical JSON: what commitInputs puts on chain" }),
    committed: z.boolean().meta({ description: "Whether these inputs are the ones committed on chain" }),
    allocationsMatch: z
      .boolean()
      .nullable()
      .meta({
        description: "Whether every recorded allocation equals `amount` (null until one is recorded)",
      }),
  })
  .meta({ id: "ShapleyRun" });

/** How many records each player brings, by lower-case address (records form only). */
function recordCounts(inputs: Record<string, unknown>): Map<string, number> | null {
  if (inputs.model !== "records") return null;
  const counts = new Map((inputs.players as string[]).map((p) => [p.toLowerCase(), 0]));
  for (const g of inputs.groups as { members: string[]; records: number }[])
    for (const m of g.members) counts.set(m.toLowerCase(), counts.get(m.toLowerCase())! + g.records);
  return counts;
}

const inputsError = (e: unknown) =>
  e instanceof InputsError || e instanceof RangeError
    ? new ApiError(409, "INPUTS_NOT_COMPUTABLE", e.message)
    : e;

export function registerShapleyRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/research/projects/:projectId/shapley",
    summary: "A project's Shapley allocation, from the chain or from its committed inputs",
    description:
      "`source=chain` (the default until inputs are committed) derives each member's contribution from the chain: the records it or its " +
      "doctors hold an active level-2 grant on, each weighing 4·VALUE + 3·RARITY tenths by its latest rating (unrated: level 1); " +
      "v(S) = W(S)², where W(S) counts a record once however many members bring it, shown in points as W(S)²/W(N) (docs/analytics.md). " +
      "`source=inputs` computes from the committed inputs (a table of values or the " +
      "records form). Exact for up to 20 members, Monte Carlo above (seeded by the project id). `amount` divides the project's total " +
      "in proportion to φ by the largest remainder method. 409 `NO_MEMBERS`, `INPUTS_NOT_COMMITTED`, `INPUTS_NOT_COMPUTABLE`.",
    tags: ["research"],
    auth: true,
    params: z.object({ projectId: Bytes32 }),
    query: z.object({ source: z.enum(["chain", "inputs"]).optional() }),
    response: ShapleySchema,
    errors: [403, 404, 409],
    handler: async ({ params, query, session, requestId }) => {
      const resource = `research:${params.projectId}`;
      await audit.authorize(session, "research.read", resource, {}, requestId);
      const project = await findProject(ctx, params.projectId);
      const rows = await prisma.researchAllocationRow.findMany({ where: { projectId: project.projectId } });
      if (!rows.length) throw new ApiError(409, "NO_MEMBERS", "the project has no member hospitals yet");
      const source = query.source ?? (project.inputsHash ? "inputs" : "chain");

      let inputs: Record<string, unknown>;
      if (source === "inputs") {
        const text = project.inputsHash
          ? (await textsOf(ctx, [project.inputsHash])).get(project.inputsHash)
          : undefined;
        if (!text) throw new ApiError(409, "INPUTS_NOT_COMMITTED", "the project has no committed inputs");
        inputs = JSON.parse(text) as Record<string, unknown>;
      } else {
        inputs = { ...(await contributionsOf(ctx, project.projectId)) };
      }
      const counts = recordCounts(inputs);
      const inputsHash = textHashOf(canonicalJson(inputs));

      let run;
      let amounts: bigint[] | null = null;
      try {
        run = runShapley(inputs, Number.parseInt(project.projectId.slice(2, 10), 16));
        if (run.weights.some((w) => w !== 0n)) amounts = amountsOf(run, BigInt(project.total));
      } catch (e) {
        throw inputsError(e);
      }

      const hospitals = run.players.map((p) => getAddress(p.player.toLowerCase()));
      const names = await namesOf(ctx, hospitals);
      const recordedOf = new Map(rows.map((r) => [r.hospital.toLowerCase(), r.amount]));
      const players = run.players.map((p, i) => ({
        hospital: hospitals[i]!,
        name: names.get(hospitals[i]!) ?? null,
        records: counts?.get(p.player.toLowerCase()) ?? null,
        value: p.value,
        fraction: p.fraction,
        standardError: p.standardError,
        standalone: p.standalone,
        share: p.share,
        amount: amounts ? amounts[i]!.toString() : null,
        recorded: recordedOf.get(p.player.toLowerCase()) ?? null,
      }));
      const recorded = players.filter((p) => p.recorded !== null);
      await audit.allowed(session, "research.read", resource, requestId, `shapley from ${source}`);
      return {
        projectId: project.projectId,
        source,
        model: run.model,
        method: run.method,
        total: project.total,
        grandCoalitionValue: run.grandCoalitionValue,
        players,
        coalitionsEvaluated: run.coalitionsEvaluated,
        permutations: run.permutations,
        seed: run.seed,
        inputs,
        inputsHash,
        committed: project.inputsHash === inputsHash,
        allocationsMatch: recorded.length
          ? recorded.length === players.length && recorded.every((p) => p.recorded === p.amount)
          : null,
      };
    },
  });
}
