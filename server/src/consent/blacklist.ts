import { blacklistLiftTypedData } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { granteesOf } from "../access/facts.ts";
import type { BlacklistEntry, Prisma } from "../generated/prisma/client.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { conflict, notFound } from "../http/errors.ts";
import {
  Address,
  BooleanQuery,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
} from "../http/schemas.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";
import { namesOf } from "../members/views.ts";

// Requesters the chain blacklisted after repeated refused requests (by default 5 within 24 h); while
// listed every request of theirs is refused. An alliance admin lifts it.

const BlacklistEntrySchema = z
  .object({
    requester: z.string(),
    requesterName: z.string().nullable(),
    denied: z.number().meta({ description: "Refusals that reached the limit" }),
    windowStart: z.number(),
    listedAt: z.number(),
    active: z.boolean(),
    liftedAt: z.number().nullable(),
    liftedBy: z.string().nullable(),
    liftedByName: z.string().nullable(),
    blockNumber: z.number(),
    txHash: z
      .string()
      .nullable()
      .meta({ description: "The transaction of the latest change (listing or lift)" }),
  })
  .meta({ id: "BlacklistEntry" });

async function blacklistViews(
  ctx: AppContext,
  rows: BlacklistEntry[],
): Promise<z.infer<typeof BlacklistEntrySchema>[]> {
  const [names, txOf] = await Promise.all([
    namesOf(
      ctx,
      rows.flatMap((r) => [r.requester, r.liftedBy]),
    ),
    txHashesOf(ctx, rows),
  ]);
  return rows.map((r) => ({
    requester: r.requester,
    requesterName: names.get(r.requester) ?? null,
    denied: r.denied,
    windowStart: Number(r.windowStart),
    listedAt: Number(r.listedAt),
    active: r.liftedAt === null,
    liftedAt: r.liftedAt !== null ? Number(r.liftedAt) : null,
    liftedBy: r.liftedBy,
    liftedByName: r.liftedBy ? (names.get(r.liftedBy) ?? null) : null,
    blockNumber: r.blockNumber,
    txHash: txOf(r),
  }));
}

/** Admins and regulators see every entry; a hospital its own; a doctor their own and their hospital's. */
function visibleEntries(session: Session): Prisma.BlacklistEntryWhereInput {
  if (hasRole(session, "alliance-admin") || hasRole(session, "regulator")) return {};
  return { requester: { in: granteesOf(session) } };
}

export function registerBlacklistRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "get",
    path: "/blacklist",
    summary: "Blacklisted requesters",
    description:
      "Alliance admins and regulators see all entries; a hospital or doctor only those about itself or its hospital.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["listedAt"], "listedAt:desc").extend({ active: BooleanQuery.optional() }),
    response: pageOf(BlacklistEntrySchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "blacklist.list", "blacklist", {}, requestId);
      const activity: Prisma.BlacklistEntryWhereInput =
        query.active === undefined ? {} : query.active ? { liftedAt: null } : { NOT: { liftedAt: null } };
      const where = { AND: [visibleEntries(session!), activity] };
      const orderBy = orderThen(query.sort, "requester", "asc");
      return paginateTable(query, prisma.blacklistEntry, where, orderBy, (rows) => blacklistViews(ctx, rows));
    },
  });

  api.route({
    method: "post",
    path: "/blacklist/:requester/lift",
    summary: "Lift a blacklisting (alliance admin)",
    description:
      "The admin signs an EIP-712 `BlacklistLift` (ConsentManager). Earlier refusals no longer count.",
    tags: ["consent"],
    auth: true,
    params: z.object({ requester: Address }),
    body: SignedFields,
    response: BlacklistEntrySchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      await audit.authorize(session, "blacklist.lift", `blacklist:${params.requester}`, {}, requestId);
      const entry = await prisma.blacklistEntry.findUnique({ where: { requester: params.requester } });
      if (!entry) throw notFound("blacklist entry");
      if (entry.liftedAt !== null) throw conflict("the blacklisting was already lifted");
      checkDeadline(body.deadline);
      const typed = blacklistLiftTypedData(domainFor(ctx, "ConsentManager"), {
        requester: params.requester,
        nonce: body.nonce,
        deadline: body.deadline,
      });
      expectSigner(typed, body.signature, session!.address);
      const receipt = await relay(ctx, "ConsentManager", "liftBlacklist", [
        params.requester,
        body.nonce,
        body.deadline,
        body.signature,
      ]);
      await audit.allowed(
        session,
        "blacklist.lift",
        `blacklist:${params.requester}`,
        requestId,
        `tx ${receipt.transactionHash}`,
      );
      return (
        await blacklistViews(ctx, [
          await prisma.blacklistEntry.findUniqueOrThrow({ where: { requester: params.requester } }),
        ])
      )[0]!;
    },
  });
}
