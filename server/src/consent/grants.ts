import {
  canonicalPolicy,
  categoryOf,
  GRANT_LEVEL,
  grantIdOf,
  grantTypedData,
  policyGranteeOf,
  revocationTypedData,
  SCOPE_KIND,
} from "@yyl/sdk";
import { ZeroAddress } from "ethers";
import type { AppContext } from "../context.ts";
import { hasRole, type Session } from "../auth/session.ts";
import { granteesOf } from "../access/facts.ts";
import { checkDeadline, domainFor, expectSigner, relay } from "../chain/signed.ts";
import { keepText } from "../evidence/texts.ts";
import { findRecord } from "../emr/records.ts";
import { categoryNamesOf, CATEGORY_PREFIX } from "../emr/views.ts";
import type { ConsentGrant, ConsentGrantVersion, Prisma } from "../generated/prisma/client.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { patientsActingFor } from "./acting-for.ts";
import { consentHashOf, consentOf, type Consent, type ConsentFacts } from "./fhir-consent.ts";

// Grants as the mirror has them, turned into Consent facts; and the two signed acts on them.

export type GrantStatus = "active" | "expired" | "revoked";

export async function findGrant(ctx: AppContext, grantId: string): Promise<ConsentGrant> {
  const g = await ctx.prisma.consentGrant.findUnique({ where: { grantId } });
  if (!g) throw notFound("grant");
  return g;
}

/** What a grant (or one version of it) covers: whose records, for whom, how far and until when. */
function coverageOf(
  g: Pick<ConsentGrantVersion, "patient" | "grantee" | "scope" | "scopeKind" | "level" | "expiresAt">,
  categoryNames: Map<string, string>,
) {
  return {
    patient: g.patient,
    grantee: g.grantee,
    scope: g.scope,
    scopeKind: g.scopeKind as 1 | 2,
    categoryName: categoryNames.get(g.scope) ?? null,
    level: g.level as 1 | 2,
    expiresAt: Number(g.expiresAt),
  };
}

/** Facts of the given version rows. `grantedAt` of a revocation is that of the grant it ended. */
export async function versionFacts(
  ctx: AppContext,
  versions: ConsentGrantVersion[],
): Promise<ConsentFacts[]> {
  const names = await categoryNamesOf(
    ctx,
    versions.filter((v) => v.scopeKind === SCOPE_KIND.category).map((v) => v.scope),
  );
  const ordered = [...versions].sort((a, b) =>
    a.grantId === b.grantId ? a.version - b.version : a.grantId < b.grantId ? -1 : 1,
  );
  const lastGrantAt = new Map<string, number>();
  return ordered.map((v) => {
    if (v.status !== "revoked") lastGrantAt.set(v.grantId, Number(v.at));
    return {
      grantId: v.grantId,
      version: v.version,
      action: v.status === "revoked" ? "revoked" : "granted",
      ...coverageOf(v, names),
      signer: v.signer,
      grantedAt: lastGrantAt.get(v.grantId) ?? Number(v.at),
      versionAt: Number(v.at),
      txHash: v.txHash,
      blockNumber: v.blockNumber,
    };
  });
}

/** Facts of the current version of each grant, in the order given. */
export async function currentFacts(ctx: AppContext, grants: ConsentGrant[]): Promise<ConsentFacts[]> {
  if (!grants.length) return [];
  const [versions, names] = await Promise.all([
    ctx.prisma.consentGrantVersion.findMany({
      where: { OR: grants.map((g) => ({ grantId: g.grantId, version: g.version })) },
    }),
    categoryNamesOf(
      ctx,
      grants.filter((g) => g.scopeKind === SCOPE_KIND.category).map((g) => g.scope),
    ),
  ]);
  const byId = new Map(versions.map((v) => [v.grantId, v]));
  return grants.map((g) => {
    const v = byId.get(g.grantId);
    return {
      grantId: g.grantId,
      version: g.version,
      action: g.revoked ? "revoked" : "granted",
      ...coverageOf(g, names),
      signer: v?.signer ?? g.signer,
      grantedAt: Number(g.grantedAt),
      versionAt: Number(v?.at ?? g.grantedAt),
      txHash: v?.txHash ?? "",
      blockNumber: v?.blockNumber ?? g.blockNumber,
    };
  });
}

/** A grant's current Consent with its hash. */
export async function consentWithHash(
  ctx: AppContext,
  grant: ConsentGrant,
): Promise<{ consent: Consent; consentHash: string }> {
  const [facts] = await currentFacts(ctx, [grant]);
  const consent = consentOf(facts!, Date.now());
  return { consent, consentHash: consentHashOf(consent) };
}

/** Mirror condition for a grant status at this moment. */
export function statusWhere(status: GrantStatus | undefined): Prisma.ConsentGrantWhereInput {
  const now = BigInt(Date.now());
  if (status === "active") return { revoked: false, expiresAt: { gt: now } };
  if (status === "expired") return { revoked: false, expiresAt: { lte: now } };
  if (status === "revoked") return { revoked: true };
  return {};
}

/**
 * Which grants a caller may list: a regulator all; a patient their own; a guardian those of the
 * patients they act for; a doctor those to them or their hospital; a hospital those to it.
 */
export async function visibleGrants(
  ctx: AppContext,
  session: Session,
): Promise<Prisma.ConsentGrantWhereInput> {
  if (hasRole(session, "regulator")) return {};
  const either: Prisma.ConsentGrantWhereInput[] = [];
  const patients = await patientsActingFor(ctx, session);
  if (patients.length) either.push({ patient: { in: patients } });
  if (hasRole(session, "doctor")) either.push({ grantee: { in: granteesOf(session) } });
  if (hasRole(session, "hospital")) either.push({ grantee: session.address });
  return either.length ? { OR: either } : { grantId: { in: [] } };
}

export interface GrantInput {
  patient: string;
  scope: { kind: "record"; recordId: string } | { kind: "category"; category: string };
  grantee: string;
  policy?: string;
  level: "view" | "research";
  expiresAt: number;
  nonce: string;
  deadline: number;
  signature: string;
}

/** Checks what the contract would refuse, so that the caller learns which field is wrong. */
async function checkGrantInput(ctx: AppContext, input: GrantInput): Promise<void> {
  if (input.scope.kind === "record") {
    const record = await findRecord(ctx, input.scope.recordId);
    if (record.patient !== input.patient) {
      throw badRequest("the record is not this patient's", [
        { path: "scope.recordId", message: "belongs to another patient" },
      ]);
    }
  }
  if (input.expiresAt <= Date.now())
    throw badRequest("expiresAt has passed", [{ path: "expiresAt", message: "must be in the future" }]);
  if (input.grantee === ZeroAddress)
    throw badRequest("grantee is the zero address", [{ path: "grantee", message: "must not be zero" }]);
  if (input.grantee === input.patient)
    throw badRequest("grantee is the patient", [{ path: "grantee", message: "must not be the patient" }]);
  if (input.policy !== undefined) checkPolicyGrantee(input.policy, input.grantee);
  checkDeadline(input.deadline);
}

/** A policy grant's grantee must be the policy's own account; answers the policy's canonical text. */
function checkPolicyGrantee(policy: string, grantee: string): string {
  let canonical: string;
  try {
    canonical = canonicalPolicy(policy);
  } catch (e) {
    throw badRequest("policy is not a valid CP-ABE policy", [{ path: "policy", message: (e as Error).message }]);
  }
  if (policyGranteeOf(canonical) !== grantee)
    throw badRequest("grantee is not the policy's account", [
      { path: "grantee", message: `must be policyGranteeOf(policy) = ${policyGranteeOf(canonical)}` },
    ]);
  return canonical;
}

/** Relays a grant signed by the caller (the patient or their guardian); returns the grant's row. */
export async function submitGrant(
  ctx: AppContext,
  session: Session,
  input: GrantInput,
): Promise<{ grant: ConsentGrant; txHash: string }> {
  await checkGrantInput(ctx, input);
  const isRecord = input.scope.kind === "record";
  const scope = input.scope.kind === "record" ? input.scope.recordId : categoryOf(input.scope.category);
  const scopeKind = isRecord ? SCOPE_KIND.record : SCOPE_KIND.category;
  const level = GRANT_LEVEL[input.level];
  const message = {
    patient: input.patient,
    scope,
    scopeKind,
    grantee: input.grantee,
    level,
    expiresAt: input.expiresAt,
    nonce: input.nonce,
    deadline: input.deadline,
  };
  expectSigner(grantTypedData(domainFor(ctx, "ConsentManager"), message), input.signature, session.address);
  // The policy is known before the grant lands, so readers of the mirror can always resolve the account.
  if (input.policy !== undefined) {
    const policy = checkPolicyGrantee(input.policy, input.grantee);
    await ctx.prisma.policyGrantee.upsert({ where: { grantee: input.grantee }, create: { grantee: input.grantee, policy }, update: {} });
  }
  const receipt = await relay(ctx, "ConsentManager", "grant", [
    input.patient,
    scope,
    scopeKind,
    input.grantee,
    level,
    input.expiresAt,
    input.nonce,
    input.deadline,
    session.address,
    input.signature,
  ]);
  // The category's name is kept so that Consents can show it; on chain it is only its hash.
  if (input.scope.kind === "category")
    await keepText(ctx, "record-category", CATEGORY_PREFIX + input.scope.category, session.address);
  const grant = await findGrant(ctx, grantIdOf(input.patient, scope, input.grantee));
  return { grant, txHash: receipt.transactionHash };
}

/** Relays the revocation of `grant` signed by the caller; returns the grant's new row. */
export async function submitRevocation(
  ctx: AppContext,
  session: Session,
  grant: ConsentGrant,
  input: { nonce: string; deadline: number; signature: string },
): Promise<{ grant: ConsentGrant; txHash: string }> {
  if (grant.revoked) throw conflict("the grant is already revoked");
  checkDeadline(input.deadline);
  const typed = revocationTypedData(domainFor(ctx, "ConsentManager"), {
    patient: grant.patient,
    scope: grant.scope,
    grantee: grant.grantee,
    nonce: input.nonce,
    deadline: input.deadline,
  });
  expectSigner(typed, input.signature, session.address);
  const receipt = await relay(ctx, "ConsentManager", "revoke", [
    grant.patient,
    grant.scope,
    grant.grantee,
    input.nonce,
    input.deadline,
    session.address,
    input.signature,
  ]);
  return { grant: await findGrant(ctx, grant.grantId), txHash: receipt.transactionHash };
}
