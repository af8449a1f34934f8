import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { BooleanQuery, listQuery, Millis, orderThen, pageOf, pageSummary, paginateTable } from "../http/schemas.ts";
import { closeRound, findRound, openRound, submitCounts } from "./service.ts";
import { RoundSchema, roundViews } from "./views.ts";

// Encrypted statistics (Paillier): an alliance admin opens a round asking for counts per diagnosis;
// each approved hospital encrypts its counts in its own client under the round's public key and
// submits once; at closing the server multiplies the ciphertexts per diagnosis and decrypts the totals
// only. The alliance holds the key, so not decrypting single submissions is a promise of the server,
// not a property of the scheme (docs/crypto.md, "Encrypted statistics").

const DiagnosisCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/, "must be a diagnosis code such as I21 or J18.9 (letters, digits, '.', '-'; at most 16)");
const Ciphertext = z
  .object({
    v: z.literal(1),
    key: z.string().regex(/^0x[0-9a-f]{16}$/, "must be the 0x-prefixed 16-hex-digit key id of the round's public key"),
    c: z.string().regex(/^0x[0-9a-fA-F]{1,1100}$/, "must be 0x-prefixed hex"),
  })
  .meta({ id: "PaillierCiphertext", description: "sdk encryptCount output: {v: 1, key, c}" });
const RoundParam = z.object({ roundId: z.coerce.number().int().min(1).max(2_147_483_647) });
const NEVER_SINGLE =
  "Per-hospital values are never decrypted or shown: the server stores each submission's ciphertexts and decrypts only the sums.";

export function registerStatisticsRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/statistics/rounds",
    summary: "Open a statistics round (alliance admin)",
    description:
      "Asks the hospitals for counts per diagnosis until `closesAt`. The server makes the round's 2048-bit Paillier key " +
      "pair, keeps the private key sealed under KMC_KEK and serves the public key with the round. " +
      NEVER_SINGLE,
    tags: ["statistics"],
    auth: true,
    status: 201,
    body: z.object({
      title: z.string().trim().min(1).max(200),
      diagnoses: z
        .array(DiagnosisCode)
        .min(1)
        .max(100)
        .refine((codes) => new Set(codes).size === codes.length, "must not repeat a code"),
      closesAt: Millis,
    }),
    response: RoundSchema,
    errors: [403],
    handler: async ({ body, session, requestId }) => {
      await audit.authorize(session, "statistics.open", "statistics:rounds", {}, requestId);
      const round = await openRound(ctx, session!.address, body);
      await audit.allowed(session, "statistics.open", `statistics:${round.id}`, requestId, body.diagnoses.join(" "));
      return (await roundViews(ctx, session!, [round]))[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/statistics/rounds",
    summary: "List statistics rounds (admin, regulator, hospital)",
    description:
      "`submitted=true|false` narrows to the rounds the calling hospital has (not) submitted to. Totals appear once a " +
      "round is closed. " +
      NEVER_SINGLE,
    tags: ["statistics"],
    auth: true,
    query: listQuery(["openedAt", "closesAt"], "openedAt:desc").extend({
      status: z.enum(["open", "closed"]).optional(),
      submitted: BooleanQuery.optional(),
    }),
    response: pageOf(RoundSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "statistics.read", "statistics:rounds", {}, requestId);
      const now = BigInt(Date.now());
      const where: Prisma.StatisticsRoundWhereInput = {
        ...(query.status === "open" ? { closedAt: null, closesAt: { gt: now } } : {}),
        ...(query.status === "closed" ? { OR: [{ closedAt: { not: null } }, { closesAt: { lte: now } }] } : {}),
      };
      if (query.submitted !== undefined) {
        const mine = await prisma.statisticsSubmission.findMany({ where: { hospital: session!.address }, select: { roundId: true } });
        const ids = mine.map((s) => s.roundId);
        where.id = query.submitted ? { in: ids } : { notIn: ids };
      }
      const page = await paginateTable(query, prisma.statisticsRound, where, orderThen(query.sort, "id"), (rows) =>
        roundViews(ctx, session!, rows),
      );
      await audit.allowed(session, "statistics.read", "statistics:rounds", requestId, pageSummary(page));
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/statistics/rounds/:roundId",
    summary: "One statistics round with its public key and, once closed, its totals",
    description: NEVER_SINGLE,
    tags: ["statistics"],
    auth: true,
    params: RoundParam,
    response: RoundSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      await audit.authorize(session, "statistics.read", `statistics:${params.roundId}`, {}, requestId);
      const round = await findRound(ctx, params.roundId);
      await audit.allowed(session, "statistics.read", `statistics:${round.id}`, requestId);
      return (await roundViews(ctx, session!, [round]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/statistics/rounds/:roundId/submissions",
    summary: "Submit a hospital's encrypted counts (approved hospital, once per round)",
    description:
      "`counts` maps each diagnosis code of the round to its count encrypted under the round's public key in the " +
      "hospital's own client (sdk encryptCounts). Every ciphertext is checked (the round's key, in [1, n²), coprime " +
      "to n); a bad one is answered 400 naming `counts.<code>` and nothing is stored. A code left out counts as zero. " +
      "409 `ALREADY_SUBMITTED` for a second submission, `ROUND_CLOSED` after closing. " +
      NEVER_SINGLE,
    tags: ["statistics"],
    auth: true,
    status: 201,
    params: RoundParam,
    body: z.object({
      counts: z
        .record(DiagnosisCode, Ciphertext)
        .refine((c) => Object.keys(c).length >= 1, "must hold at least one diagnosis")
        .refine((c) => Object.keys(c).length <= 100, "must hold at most 100 diagnoses"),
    }),
    response: z.object({ roundId: z.number(), hospital: z.string(), diagnoses: z.array(z.string()), submittedAt: z.number() }),
    errors: [403, 404, 409],
    handler: async ({ params, body, session, requestId }) => {
      const resource = `statistics:${params.roundId}`;
      await audit.authorize(session, "statistics.submit", resource, {}, requestId);
      const round = await findRound(ctx, params.roundId);
      const { submittedAt } = await submitCounts(ctx, round, session!.address, body.counts);
      const diagnoses = Object.keys(body.counts).sort();
      await audit.allowed(session, "statistics.submit", resource, requestId, diagnoses.join(" "));
      return { roundId: round.id, hospital: session!.address, diagnoses, submittedAt };
    },
  });

  api.route({
    method: "post",
    path: "/statistics/rounds/:roundId/closure",
    summary: "Close a round and decrypt its totals (alliance admin)",
    description:
      "Stops submissions, multiplies the submitted ciphertexts per diagnosis (Paillier: the product encrypts the sum) " +
      "and decrypts those products with the round's private key. A diagnosis nobody reported totals 0. 409 " +
      "`ROUND_CLOSED` when already closed, `TOTAL_OUT_OF_RANGE` when a total decrypts above 2^64 − 1 (only an altered " +
      "or absurd submission does that; the round stays open). " +
      NEVER_SINGLE,
    tags: ["statistics"],
    auth: true,
    params: RoundParam,
    response: RoundSchema,
    errors: [403, 404, 409],
    handler: async ({ params, session, requestId }) => {
      const resource = `statistics:${params.roundId}`;
      await audit.authorize(session, "statistics.close", resource, {}, requestId);
      await closeRound(ctx, await findRound(ctx, params.roundId), session!.address);
      await audit.allowed(session, "statistics.close", resource, requestId);
      return (await roundViews(ctx, session!, [await findRound(ctx, params.roundId)]))[0]!;
    },
  });
}
