import { SCOPE_KIND } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Session } from "../auth/session.ts";
import { authorizeForPatient, granteesOf, patientFacts } from "../access/facts.ts";
import type { ConsentGrant, Prisma } from "../generated/prisma/client.ts";
import {
  Address,
  Bytes32,
  listQuery,
  orderThen,
  pageOf,
  paginateTable,
  SignedFields,
} from "../http/schemas.ts";
import { namesOf } from "../members/views.ts";
import {
  BundleSchema,
  collectionBundleOf,
  consentOf,
  ConsentSchema,
  historyBundleOf,
} from "./fhir-consent.ts";
import {
  consentWithHash,
  currentFacts,
  findGrant,
  statusWhere,
  submitGrant,
  submitRevocation,
  versionFacts,
  visibleGrants,
} from "./grants.ts";

const Names = z
  .record(z.string(), z.string())
  .meta({ description: "Display names of the addresses involved, where known" });
const Policies = z
  .record(z.string(), z.string())
  .meta({ description: "The CP-ABE policy behind each policy grant's grantee account (sdk policyGranteeOf)" });
const ConsentWithHash = z
  .object({
    consent: ConsentSchema,
    consentHash: z.string().meta({ description: "keccak256 of the Consent's canonical JSON" }),
    names: Names,
    policies: Policies,
  })
  .meta({ id: "ConsentWithHash" });

const GrantIdParam = z.object({ grantId: Bytes32 });

const ScopeInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("record"), recordId: Bytes32 }),
  z.object({ kind: z.literal("category"), category: z.string().trim().min(1, "required").max(64) }),
]);

async function namesFor(ctx: AppContext, grants: ConsentGrant[]): Promise<Record<string, string>> {
  return Object.fromEntries(
    await namesOf(
      ctx,
      grants.flatMap((g) => [g.patient, g.grantee, g.signer]),
    ),
  );
}

async function policiesFor(ctx: AppContext, grants: ConsentGrant[]): Promise<Record<string, string>> {
  const rows = await ctx.prisma.policyGrantee.findMany({ where: { grantee: { in: grants.map((g) => g.grantee) } } });
  return Object.fromEntries(rows.map((r) => [r.grantee, r.policy]));
}

/** What every route about one grant answers: its current Consent, the Consent's hash, names and policies. */
async function consentAnswer(ctx: AppContext, grant: ConsentGrant) {
  return {
    ...(await consentWithHash(ctx, grant)),
    names: await namesFor(ctx, [grant]),
    policies: await policiesFor(ctx, [grant]),
  };
}

/** Audits a signed grant or revocation that the chain accepted, and answers the version it made. */
async function answerSignedAct(
  ctx: AppContext,
  session: Session | null,
  action: "consent.grant" | "consent.revoke",
  requestId: string,
  { grant, txHash }: { grant: ConsentGrant; txHash: string },
) {
  const detail = `version ${grant.version}, tx ${txHash}`;
  await ctx.audit.allowed(session, action, `grant:${grant.grantId}`, requestId, detail);
  return consentAnswer(ctx, grant);
}

/** The grant, once the caller may read it: its patient, their guardian, the grantee (or a doctor of
 *  it) and regulators. */
async function readableGrant(
  ctx: AppContext,
  session: Session | null,
  grantId: string,
  requestId: string,
): Promise<ConsentGrant> {
  const grant = await findGrant(ctx, grantId);
  const isGrantee = !!session && granteesOf(session).includes(grant.grantee);
  const facts = await patientFacts(ctx, session, grant.patient, { grantLevel: isGrantee ? 1 : 0 });
  await ctx.audit.authorize(session, "consent.read", `grant:${grant.grantId}`, facts, requestId);
  return grant;
}

export function registerGrantRoutes(ctx: AppContext): void {
  const { api, audit, prisma } = ctx;

  api.route({
    method: "post",
    path: "/consent/grants",
    summary: "Grant access to a record or a category (patient or guardian)",
    description:
      "The caller (the patient, or a guardian whose delegation has the grant scope) signs an EIP-712 `Grant` " +
      '(ConsentManager) with scope = the record id (scopeKind 1) or keccak256("category:<name>") (scopeKind 2), ' +
      "level 1 view or 2 view + research, and the expiry. Granting again to the same grantee on the same scope " +
      "replaces the grant as a new version. Answers the grant as a FHIR Consent.",
    tags: ["consent"],
    auth: true,
    status: 201,
    body: z
      .object({
        patient: Address,
        scope: ScopeInput,
        grantee: Address,
        policy: z.string().trim().min(1).max(1000).optional().meta({
          description:
            "Share with everyone whose attested attributes satisfy this CP-ABE policy (e.g. `role:doctor AND " +
            "dept:cardiology`); `grantee` must then be policyGranteeOf(policy)",
        }),
        level: z.enum(["view", "research"]),
        expiresAt: z.number().int().positive().meta({ description: "End of the grant (ms, exclusive)" }),
      })
      .extend(SignedFields.shape),
    response: ConsentWithHash,
    errors: [403, 404, 422, 502],
    handler: async ({ body, session, requestId }) => {
      await authorizeForPatient(ctx, session, "consent.grant", body.patient, requestId);
      const made = await submitGrant(ctx, session!, body);
      return answerSignedAct(ctx, session, "consent.grant", requestId, made);
    },
  });

  api.route({
    method: "post",
    path: "/consent/grants/:grantId/revocation",
    summary: "Revoke a grant (patient or guardian)",
    description:
      "The caller signs an EIP-712 `Revocation` (ConsentManager). Answers the new, inactive version of the Consent.",
    tags: ["consent"],
    auth: true,
    params: GrantIdParam,
    body: SignedFields,
    response: ConsentWithHash,
    errors: [403, 404, 409, 422, 502],
    handler: async ({ params, body, session, requestId }) => {
      const current = await findGrant(ctx, params.grantId);
      await audit.authorize(
        session,
        "consent.revoke",
        `grant:${current.grantId}`,
        await patientFacts(ctx, session, current.patient),
        requestId,
      );
      const made = await submitRevocation(ctx, session!, current, body);
      return answerSignedAct(ctx, session, "consent.revoke", requestId, made);
    },
  });

  api.route({
    method: "get",
    path: "/consent/grants",
    summary: "Grants the caller may see, as FHIR Consents",
    description:
      "A patient sees their own and those of the patients they are guardian of; a guardian who is no member only the " +
      "latter; a doctor those to them or their hospital; a hospital those to it; a regulator all. `recordId` selects " +
      "the grants that cover the record: on the record itself or on its category.",
    tags: ["consent"],
    auth: true,
    query: listQuery(["grantedAt", "expiresAt"], "grantedAt:desc").extend({
      patient: Address.optional(),
      grantee: Address.optional(),
      status: z.enum(["active", "expired", "revoked"]).optional(),
      scopeKind: z.enum(["record", "category"]).optional(),
      recordId: Bytes32.optional(),
    }),
    response: pageOf(ConsentSchema).extend({ names: Names, policies: Policies }),
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await audit.authorize(session, "consent.list", "consent-grants", {}, requestId);
      const and: Prisma.ConsentGrantWhereInput[] = [
        await visibleGrants(ctx, session!),
        statusWhere(query.status),
      ];
      if (query.patient) and.push({ patient: query.patient });
      if (query.grantee) and.push({ grantee: query.grantee });
      if (query.scopeKind) and.push({ scopeKind: SCOPE_KIND[query.scopeKind] });
      if (query.recordId) {
        const record = await prisma.emrRecord.findUnique({
          where: { recordId: query.recordId },
          select: { category: true },
        });
        and.push({ scope: { in: record?.category ? [query.recordId, record.category] : [query.recordId] } });
      }
      const where = { AND: and };
      let rows: ConsentGrant[] = [];
      const orderBy = orderThen(query.sort, "grantId", "asc");
      const page = await paginateTable(query, prisma.consentGrant, where, orderBy, async (found) => {
        rows = found;
        const now = Date.now();
        return (await currentFacts(ctx, found)).map((f) => consentOf(f, now));
      });
      await audit.allowed(session, "consent.list", "consent-grants", requestId);
      return { ...page, names: await namesFor(ctx, rows), policies: await policiesFor(ctx, rows) };
    },
  });

  api.route({
    method: "get",
    path: "/consent/grants/:grantId",
    summary: "One grant as a FHIR Consent, with its hash",
    description:
      "For its patient, their guardian, the grantee (or a doctor of the grantee hospital) and regulators.",
    tags: ["consent"],
    auth: true,
    params: GrantIdParam,
    response: ConsentWithHash,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const grant = await readableGrant(ctx, session, params.grantId, requestId);
      await audit.allowed(session, "consent.read", `grant:${grant.grantId}`, requestId);
      return consentAnswer(ctx, grant);
    },
  });

  api.route({
    method: "get",
    path: "/consent/grants/:grantId/history",
    summary: "Every version of a grant, as a FHIR history Bundle (oldest first)",
    description:
      "Each grant and revocation is a version; each is shown in the state it had while it was current.",
    tags: ["consent"],
    auth: true,
    params: GrantIdParam,
    response: BundleSchema,
    errors: [403, 404],
    handler: async ({ params, session, requestId }) => {
      const grant = await readableGrant(ctx, session, params.grantId, requestId);
      const versions = await prisma.consentGrantVersion.findMany({
        where: { grantId: grant.grantId },
        orderBy: { version: "asc" },
      });
      await audit.allowed(session, "consent.read", `grant:${grant.grantId}`, requestId, "history");
      return historyBundleOf(await versionFacts(ctx, versions), Date.now());
    },
  });

  api.route({
    method: "get",
    path: "/consent/export",
    summary: "A patient's current Consents, as a FHIR collection Bundle",
    description:
      "For the patient, their guardian and regulators: the current version of every grant the patient made.",
    tags: ["consent"],
    auth: true,
    query: z.object({ patient: Address }),
    response: BundleSchema,
    errors: [403],
    handler: async ({ query, session, requestId }) => {
      await authorizeForPatient(ctx, session, "consent.read", query.patient, requestId);
      const grants = await prisma.consentGrant.findMany({
        where: { patient: query.patient },
        orderBy: [{ grantedAt: "asc" }, { grantId: "asc" }],
      });
      await audit.allowed(
        session,
        "consent.read",
        `patient:${query.patient}`,
        requestId,
        `export of ${grants.length} consents`,
      );
      return collectionBundleOf(await currentFacts(ctx, grants), Date.now());
    },
  });
}
