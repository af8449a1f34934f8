import { DELEGATION_SCOPE, delegationRevocationTypedData, delegationTypedData } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Delegation, Prisma } from "../generated/prisma/client.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import {
  Address,
  BooleanQuery,
  listQuery,
  Millis,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
} from "../http/schemas.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";
import { namesOf } from "../members/views.ts";

// Guardians: a patient lets someone act for them (grant and revoke access, co-sign records, file
// complaints) for a period. The patient signs; the alliance's account relays.

const SCOPE_NAMES = Object.keys(DELEGATION_SCOPE) as [
  keyof typeof DELEGATION_SCOPE,
  ...(keyof typeof DELEGATION_SCOPE)[],
];

const DelegationSchema = z
  .object({
    patient: z.string(),
    patientName: z.string().nullable(),
    delegate: z.string(),
    delegateName: z.string().nullable(),
    scopes: z.array(z.enum(SCOPE_NAMES)),
    scopeMask: z.number().meta({ description: "Bit mask on chain: 1 grant, 2 cosign, 4 complaint" }),
    validFrom: z.number(),
    validUntil: z.number(),
    revoked: z.boolean(),
    active: z.boolean().meta({ description: "Not revoked and within its period now" }),
    blockNumber: z.number(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "Delegation" });

const maskOf = (scopes: readonly (keyof typeof DELEGATION_SCOPE)[]) =>
  scopes.reduce((m, s) => m | DELEGATION_SCOPE[s], 0);
const namesOfMask = (mask: number) => SCOPE_NAMES.filter((s) => (mask & DELEGATION_SCOPE[s]) !== 0);

async function delegationViews(
  ctx: AppContext,
  rows: Delegation[],
): Promise<z.infer<typeof DelegationSchema>[]> {
  const [names, txOf] = await Promise.all([
    namesOf(
      ctx,
      rows.flatMap((d) => [d.patient, d.delegate]),
    ),
    txHashesOf(ctx, rows),
  ]);
  const now = BigInt(Date.now());
  return rows.map((d) => ({
    patient: d.patient,
    patientName: names.get(d.patient) ?? null,
    delegate: d.delegate,
    delegateName: names.get(d.delegate) ?? null,
    scopes: namesOfMask(d.scopes),
    scopeMask: d.scopes,
    validFrom: Number(d.validFrom),
    validUntil: Number(d.validUntil),
    revoked: d.revoked,
    active: !d.revoked && d.validFrom <= now && now <= d.validUntil,
    blockNumber: d.blockNumber,
    txHash: txOf(d),
  }));
}

async function findDelegation(ctx: AppContext, patient: string, delegate: string): Promise<Delegation> {
  const d = await ctx.prisma.delegation.findUnique({ where: { patient_delegate: { patient, delegate } } });
  if (!d) throw notFound("delegation");
  return d;
}

export function registerDelegationRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/delegations",
    summary: "Name a guardian (patient)",
    description:
      "The patient signs an EIP-712 `Delegation` (PatientDelegation) naming the delegate, the scopes as a bit mask " +
      "(grant 1, cosign 2, complaint 4) and the period [validFrom, validUntil] in ms. Replaces an earlier delegation to " +
      "the same person.",
    tags: ["consent"],
    auth: true,
    status: 201,
    body: z
      .object({
        delegate: Address,
        scopes: z.array(z.enum(SCOPE_NAMES)).min(1, "name at least one scope"),
        validFrom: Millis,
        validUntil: Millis,
      })
      .extend(SignedFields.shape),
    response: DelegationSchema,
    errors: [403, 422, 502],
    handler: async ({ body, session, requestId }) => {
      const patient = session!.address;
      await audit.authorize(session, "delegation.grant", `patient:${patient}`, { owner: patient }, requestId);
      if (body.delegate === patient)
        throw badRequest("a patient cannot be their own guardian", [
          { path: "delegate", message: "must not be the patient" },
        ]);
      if (body.validUntil <= body.validFrom)
        throw badRequest("the period is empty", [{ path: "validUntil", message: "must be after validFrom" }]);
      if (body.validUntil <= Date.now())
        throw badRequest("the period is over", [{ path: "validUntil", message: "must be in the future" }]);
      checkDeadline(body.deadline);
      const scopes = maskOf(body.scopes);
      const message = {
        patient,
        delegate: body.delegate,
        scopes,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
        nonce: body.nonce,
        deadline: body.deadline,
      };
      expectSigner(
        delegationTypedData(domainFor(ctx, "PatientDelegation"), message),
        body.signature,
        patient,
      );
      const receipt = await relay(ctx, "PatientDelegation", "delegate", [
        patient,
        body.delegate,
        scopes,
        body.validFrom,
        body.validUntil,
        body.nonce,
        body.deadline,
        body.signature,
      ]);
      await audit.allowed(
        session,
        "delegation.grant",
        `delegation:${patient}:${body.delegate}`,
        requestId,
        `scopes ${scopes}, tx ${receipt.transactionHash}`,
      );
      return (await delegationViews(ctx, [await findDelegation(ctx, patient, body.delegate)]))[0]!;
    },
  });

  api.route({
    method: "post",
    path: "/delegations/:delegate/revocation",
    summary: "End a guardian's delegation (patient)",
    description: "The patient signs an EIP-712 `DelegationRevocation` (PatientDelegation).",
    tags: ["consent"],
    auth: true,
    params: z.object({ delegate: Address }),
    body: SignedFields,
    response: DelegationSchema,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const patient = session!.address;
      await audit.authorize(
        session,
        "delegation.revoke",
        `delegation:${patient}:${params.delegate}`,
        { owner: patient },
        requestId,
      );
      const current = await findDelegation(ctx, patient, params.delegate);
      if (current.revoked) throw conflict("the delegation is already revoked");
      checkDeadline(body.deadline);
      const typed = delegationRevocationTypedData(domainFor(ctx, "PatientDelegation"), {
        patient,
        delegate: params.delegate,
        nonce: body.nonce,
        deadline: body.deadline,
      });
      expectSigner(typed, body.signature, patient);
      const receipt = await relay(ctx, "PatientDelegation", "revokeDelegation", [
        patient,
        params.delegate,
        body.nonce,
        body.deadline,
        body.signature,
      ]);
      await audit.allowed(
        session,
        "delegation.revoke",
        `delegation:${patient}:${params.delegate}`,
        requestId,
        `tx ${receipt.transactionHash}`,
      );
      return (await delegationViews(ctx, [await findDelegation(ctx, patient, params.delegate)]))[0]!;
    },
  });

  api.route({
    method: "get",
    path: "/delegations",
    summary: "Delegations I made (as patient) or hold (as guardian)",
    description:
      "`as=patient` only those I made, `as=delegate` only those naming me; `active` filters on being in force now.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["validFrom", "validUntil"], "validFrom:desc").extend({
      as: z.enum(["patient", "delegate"]).optional(),
      active: BooleanQuery.optional(),
    }),
    response: pageOf(DelegationSchema),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "delegation.list", "delegations", {}, requestId);
      const me = session!.address;
      const now = BigInt(Date.now());
      const mine: Prisma.DelegationWhereInput =
        query.as === "patient"
          ? { patient: me }
          : query.as === "delegate"
            ? { delegate: me }
            : { OR: [{ patient: me }, { delegate: me }] };
      const inForce: Prisma.DelegationWhereInput = {
        revoked: false,
        validFrom: { lte: now },
        validUntil: { gte: now },
      };
      const activity: Prisma.DelegationWhereInput =
        query.active === undefined ? {} : query.active ? inForce : { NOT: inForce };
      const where = { AND: [mine, activity] };
      const orderBy = orderThen(query.sort, "delegate", "asc");
      return paginateTable(query, prisma.delegation, where, orderBy, (rows) => delegationViews(ctx, rows));
    },
  });
}
