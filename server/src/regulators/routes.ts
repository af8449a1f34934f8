import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { conflict, notFound } from "../http/errors.ts";
import { Address, BooleanQuery, listQuery, orderThen, pageOf, paginateTable } from "../http/schemas.ts";
import { ROLE_NAMES, STATUS_APPROVED, STATUS_NAMES, STATUS_PENDING } from "../members/codes.ts";
import { JURISDICTIONS, REGULATOR_KINDS, RegulatorSchema, regulatorView } from "./views.ts";

// Regulators and courts (the alliance's query clients): health administrations at national,
// provincial and city level, courts, insurers. An alliance admin admits them off chain; the role
// holds while their row is unrevoked (read on every request). They read record content only under a
// patient's grant to their address, and every such read is requested on chain (record-access.ts).

const AddressParam = z.object({ address: Address });

/** Why an address cannot be a regulator, or null. A regulator's account stands apart from any
 *  membership: its requests would otherwise be decided as a hospital's or a doctor's. */
async function whyNotRegulator(ctx: AppContext, address: string): Promise<string | null> {
  const [admin, member] = await Promise.all([
    ctx.prisma.allianceAdmin.findUnique({ where: { address } }),
    ctx.prisma.member.findUnique({ where: { address }, select: { role: true, status: true } }),
  ]);
  if (admin) return `${address} is an alliance admin; a regulator needs an account of its own`;
  if (member && (member.status === STATUS_APPROVED || member.status === STATUS_PENDING)) {
    return `${address} is an alliance member (${ROLE_NAMES[member.role] ?? "member"}, ${STATUS_NAMES[member.status]}); a regulator needs an account of its own, apart from any membership`;
  }
  return null;
}

/** A write that lost a race with another admin's (the row changed between the check and the write) is a 409. */
function raceLost(message: string) {
  return (e: unknown): never => {
    const code = (e as { code?: string }).code;
    if (code === "P2002" || code === "P2025") throw conflict(message);
    throw e;
  };
}

export function registerRegulatorRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/regulators",
    summary: "Admit a regulator or court (alliance admin)",
    description:
      "The address signs in like anyone else and then holds the `regulator` role. It must not be an alliance admin or member. " +
      "A revoked regulator may be admitted again.",
    tags: ["regulators"],
    auth: true,
    status: 201,
    body: z.object({
      address: Address,
      name: z.string().trim().min(1, "required").max(100),
      organization: z.string().trim().min(1, "required").max(200),
      kind: z.enum(REGULATOR_KINDS),
      jurisdiction: z.enum(JURISDICTIONS),
      region: z.string().trim().min(1, "must not be empty").max(64).optional(),
    }),
    response: RegulatorSchema,
    errors: [403, 409],
    handler: async ({ body, session, requestId }) => {
      const resource = `regulator:${body.address}`;
      await audit.authorize(session, "regulator.manage", resource, {}, requestId);
      const existing = await prisma.regulator.findUnique({ where: { address: body.address } });
      if (existing && existing.revokedAt === null)
        throw conflict(`${body.address} is already an active regulator`);
      const why = await whyNotRegulator(ctx, body.address);
      if (why) throw conflict(why);
      const data = {
        name: body.name,
        organization: body.organization,
        kind: body.kind,
        jurisdiction: body.jurisdiction,
        region: body.region ?? null,
        addedBy: session!.address,
        addedAt: BigInt(Date.now()),
        revokedAt: null,
        revokedBy: null,
      };
      // Only a revoked row (checked above) is replaced, so two admins admitting at once cannot both win.
      const lost = raceLost(`${body.address} is already an active regulator`);
      const row = existing
        ? await prisma.regulator
            .update({ where: { address: body.address, revokedAt: { not: null } }, data })
            .catch(lost)
        : await prisma.regulator.create({ data: { address: body.address, ...data } }).catch(lost);
      await audit.allowed(
        session,
        "regulator.manage",
        resource,
        requestId,
        existing ? "admitted again" : "admitted",
      );
      return regulatorView(row);
    },
  });

  api.route({
    method: "get",
    path: "/regulators",
    summary: "List regulators (alliance admin, regulator)",
    tags: ["regulators"],
    auth: true,
    query: listQuery(["addedAt", "name"], "addedAt:desc").extend({
      kind: z.enum(REGULATOR_KINDS).optional(),
      jurisdiction: z.enum(JURISDICTIONS).optional(),
      region: z.string().max(64).optional(),
      active: BooleanQuery.optional().meta({ description: "true: unrevoked only; false: revoked only" }),
    }),
    response: pageOf(RegulatorSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "regulator.list", "regulators", {}, requestId);
      const where: Prisma.RegulatorWhereInput = {
        kind: query.kind,
        jurisdiction: query.jurisdiction,
        region: query.region,
        revokedAt: query.active === undefined ? undefined : query.active ? null : { not: null },
      };
      const orderBy = orderThen(query.sort, "address", "asc");
      const page = await paginateTable(query, prisma.regulator, where, orderBy, (rows) =>
        rows.map(regulatorView),
      );
      await audit.allowed(session, "regulator.list", "regulators", requestId);
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/regulators/:address",
    summary: "One regulator (alliance admin, regulator)",
    tags: ["regulators"],
    auth: true,
    params: AddressParam,
    response: RegulatorSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const resource = `regulator:${params.address}`;
      await audit.authorize(session, "regulator.list", resource, {}, requestId);
      const row = await prisma.regulator.findUnique({ where: { address: params.address } });
      if (!row) throw notFound("regulator");
      await audit.allowed(session, "regulator.list", resource, requestId);
      return regulatorView(row);
    },
  });

  api.route({
    method: "post",
    path: "/regulators/:address/revocation",
    summary: "Revoke a regulator (alliance admin)",
    description:
      "Takes effect at the regulator's next request: its token stays valid, but it no longer holds the `regulator` role.",
    tags: ["regulators"],
    auth: true,
    params: AddressParam,
    body: z.object({ reason: z.string().trim().max(500).optional() }),
    response: RegulatorSchema,
    errors: [403, 404, 409],
    handler: async ({ params, body, session, requestId }) => {
      const resource = `regulator:${params.address}`;
      await audit.authorize(session, "regulator.manage", resource, {}, requestId);
      const row = await prisma.regulator.findUnique({ where: { address: params.address } });
      if (!row) throw notFound("regulator");
      if (row.revokedAt !== null) throw conflict(`${params.address} was already revoked`);
      const revoked = await prisma.regulator
        .update({
          where: { address: params.address, revokedAt: null },
          data: { revokedAt: BigInt(Date.now()), revokedBy: session!.address },
        })
        .catch(raceLost(`${params.address} was already revoked`));
      await audit.allowed(
        session,
        "regulator.manage",
        resource,
        requestId,
        body.reason ? `revoked: ${body.reason}` : "revoked",
      );
      return regulatorView(revoked);
    },
  });
}
