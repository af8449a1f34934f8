import { z } from "zod";
import type { AppContext } from "../context.ts";
import { hasRole } from "../auth/session.ts";
import { notFound } from "../http/errors.ts";
import { Address, listQuery, Millis, pageOf, Signature, Uint256String } from "../http/schemas.ts";
import { decide, registerDoctor, submitApplication } from "./service.ts";
import { listDirectory, patientsOfDoctor, type DirectoryFilter } from "./directory.ts";
import { ROLE_CODES, STATUS_APPROVED } from "./codes.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { getAddress } from "ethers";
import { MemberSchema, namesOf, toMemberView } from "./views.ts";
import { registerStandingRoutes } from "./standing.ts";

const ProfileSchema = z
  .object({ name: z.string().trim().min(1, "required").max(64) })
  .catchall(z.string().max(200))
  .refine((p) => Object.keys(p).length <= 12, "at most 12 fields")
  .meta({ description: "The applicant's details; only their hash goes on chain" });

const AddressParam = z.object({ address: Address });

export function registerMemberRoutes(ctx: AppContext): void {
  const { api, audit } = ctx;

  api.route({
    method: "post",
    path: "/members/applications",
    summary: "Apply for membership",
    description:
      "The caller signs an EIP-712 `Application` for itself. A patient's or hospital's application goes on chain at once; " +
      "a doctor's waits until the chosen hospital registers it.",
    tags: ["members"],
    auth: true,
    status: 201,
    body: z.object({
      role: z.enum(["patient", "doctor", "hospital"]),
      profile: ProfileSchema,
      hospital: Address.optional(),
      nonce: Uint256String,
      deadline: Millis,
      signature: Signature,
    }),
    response: MemberSchema,
    errors: [409, 422, 502],
    handler: async ({ body, session }) => submitApplication(ctx, session!, body),
  });

  api.route({
    method: "get",
    path: "/members/hospitals",
    summary: "Approved hospitals (the directory applicants and patients pick from)",
    tags: ["members"],
    auth: false,
    response: z.array(z.object({ address: z.string(), name: z.string().nullable() })),
    handler: async () => {
      const hospitals = await ctx.prisma.member.findMany({
        where: { role: ROLE_CODES.hospital, status: STATUS_APPROVED },
        select: { address: true },
      });
      const names = await namesOf(
        ctx,
        hospitals.map((h) => h.address),
      );
      return hospitals
        .map((h) => ({ address: h.address, name: names.get(h.address) ?? null }))
        .sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "", "zh-CN"));
    },
  });

  api.route({
    method: "get",
    path: "/members",
    summary: "List members",
    description:
      "Alliance admins and regulators see every member; a hospital sees its own doctors (including applications awaiting " +
      "registration); a doctor sees the approved patients they have to do with (records they signed, grants to them or " +
      "their hospital, visits at their hospital), and any approved patient whose full address they give as `q`.",
    tags: ["members"],
    auth: true,
    query: listQuery(["appliedAt", "name"], "appliedAt:desc").extend({
      role: z.enum(["patient", "doctor", "hospital"]).optional(),
      status: z.enum(["awaiting-hospital", "pending", "approved", "rejected", "revoked"]).optional(),
      q: z.string().trim().max(64).optional().meta({ description: "name or address contains" }),
    }),
    response: pageOf(MemberSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "member.list", "members", {}, requestId);
      const s = session!;
      const q = query.q || undefined;
      let filter: DirectoryFilter;
      if (hasRole(s, "alliance-admin") || hasRole(s, "regulator"))
        filter = { role: query.role, status: query.status, q };
      else if (hasRole(s, "hospital"))
        filter = { role: "doctor", hospital: s.address, status: query.status, q };
      else {
        const mine = patientsOfDoctor(s.address, s.member?.hospital ?? null, Date.now());
        const named =
          q && /^0x[0-9a-fA-F]{40}$/.test(q)
            ? Prisma.sql` UNION SELECT ${getAddress(q.toLowerCase())}`
            : Prisma.empty;
        filter = { role: "patient", status: "approved", q, among: Prisma.sql`${mine}${named}` };
      }
      const page = await listDirectory(ctx, filter, query);
      await audit.allowed(
        session,
        "member.list",
        "members",
        requestId,
        `${page.items.length} of ${page.total}`,
      );
      return page;
    },
  });

  api.route({
    method: "get",
    path: "/members/:address",
    summary: "One member",
    tags: ["members"],
    auth: true,
    params: AddressParam,
    response: MemberSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const view = await toMemberView(ctx, params.address);
      // A doctor may look up a patient by address to write a record for them.
      const doctorLooksUpPatient =
        hasRole(session, "doctor") && view?.role === "patient" && view.status === "approved";
      if (!doctorLooksUpPatient) {
        await audit.authorize(
          session,
          "member.read",
          `member:${params.address}`,
          { owner: params.address, hospital: view?.hospital },
          requestId,
        );
      }
      if (!view) throw notFound("member");
      return view;
    },
  });

  api.route({
    method: "post",
    path: "/members/:address/register",
    summary: "Register a doctor's application on chain (hospital admin)",
    tags: ["members"],
    auth: true,
    params: AddressParam,
    body: z.object({}).strict(),
    response: MemberSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, session, requestId }) => {
      const view = await toMemberView(ctx, params.address);
      await audit.authorize(
        session,
        "member.register-doctor",
        `member:${params.address}`,
        { hospital: view?.hospital },
        requestId,
      );
      return registerDoctor(ctx, session!, params.address);
    },
  });

  api.route({
    method: "post",
    path: "/members/:address/decision",
    summary: "Approve, reject or revoke a member (alliance admin)",
    description:
      "The admin signs an EIP-712 `Decision`; `reasonHash = keccak256(reason)` (zero when no reason).",
    tags: ["members"],
    auth: true,
    params: AddressParam,
    body: z.object({
      decision: z.enum(["approve", "reject", "revoke"]),
      reason: z.string().max(500).optional(),
      nonce: Uint256String,
      deadline: Millis,
      signature: Signature,
    }),
    response: MemberSchema,
    errors: [403, 404, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      await audit.authorize(session, "member.decide", `member:${params.address}`, {}, requestId);
      const view = await decide(ctx, session!, params.address, body);
      await audit.allowed(session, "member.decide", `member:${params.address}`, requestId, body.decision);
      return view;
    },
  });

  registerStandingRoutes(ctx);
}
