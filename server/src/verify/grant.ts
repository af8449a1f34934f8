import { grantIdOf } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { consentHashOf, consentOf } from "../consent/fhir-consent.ts";
import { currentFacts } from "../consent/grants.ts";
import type { ConsentGrant } from "../generated/prisma/client.ts";
import { check, existence, verify, type Check, type Verification } from "./checks.ts";

// A grant: its mirror row against ConsentManager.grantOf(patient, scope, grantee), its id against
// grantIdOf(patient, scope, grantee), its history (one version per grant or revocation event), and
// the FHIR Consent the API serves for it against the Consent rendered from what the chain holds: the
// grant's terms from grantOf, and the signer and block from the event in the anchoring transaction.

/** The served Consent's hash and the hash of the Consent rendered from chain data, at the same moment. */
async function consentAnchor(
  ctx: AppContext,
  row: ConsentGrant,
  chain: { level: number; expiresAt: number; revoked: boolean },
) {
  const [facts] = await currentFacts(ctx, [row]);
  const receipt = facts!.txHash ? await ctx.chain.client.transactionReceipt(facts!.txHash) : null;
  const event = receipt
    ? ctx.chain.contracts.ConsentManager.decodeLogs(receipt).find(
        (e) =>
          (e.name === "AccessGranted" || e.name === "AccessRevoked") &&
          String(e.args.grantId).toLowerCase() === row.grantId,
      )
    : undefined;
  const now = Date.now();
  const served = consentHashOf(consentOf(facts!, now));
  const fromChain = event
    ? consentHashOf(
        consentOf(
          {
            ...facts!,
            action: chain.revoked ? "revoked" : "granted",
            level: chain.level as 1 | 2,
            expiresAt: chain.expiresAt,
            signer: String(event.args.signer),
            blockNumber: Number(receipt!.blockNumber),
          },
          now,
        ),
      )
    : null;
  return { served, fromChain, anchored: !!event };
}

const statusOf = (revoked: boolean) => (revoked ? "revoked" : "active");

async function inspectGrant(ctx: AppContext, row: ConsentGrant) {
  const [g, versions, latest] = await Promise.all([
    ctx.chain.contracts.ConsentManager.call<Record<string, unknown>>("grantOf", [
      row.patient,
      row.scope,
      row.grantee,
    ]),
    ctx.prisma.consentGrantVersion.count({ where: { grantId: row.grantId } }),
    ctx.prisma.consentGrantVersion.findFirst({
      where: { grantId: row.grantId },
      orderBy: { version: "desc" },
    }),
  ]);
  const chain = { level: Number(g.level), expiresAt: Number(g.expiresAt), revoked: Boolean(g.revoked) };
  const exists = chain.level !== 0;
  const checks: Check[] = [
    existence("grant exists on chain", true, exists),
    check(
      "grant id = keccak256(patient, scope, grantee)",
      row.grantId,
      grantIdOf(row.patient, row.scope, row.grantee),
    ),
  ];
  if (exists) {
    checks.push(
      check("mirror level", row.level, chain.level),
      check("mirror expiry", row.expiresAt, chain.expiresAt),
      check("mirror revocation", row.revoked, chain.revoked),
      // The history is append-only: the current version is the number of grant and revocation events.
      check("current version = versions in the grant's history", row.version, versions),
      check(
        "latest history entry = grant on chain",
        latest ? `${latest.level}/${latest.expiresAt}/${latest.status}` : null,
        `${chain.level}/${chain.expiresAt}/${statusOf(chain.revoked)}`,
      ),
    );
    const anchor = await consentAnchor(ctx, row, chain);
    checks.push(
      check("anchoring transaction carries this version's event", anchor.anchored, true),
      check("served Consent = Consent rendered from the chain (hash)", anchor.served, anchor.fromChain),
    );
  }
  return {
    checks,
    chain: exists
      ? {
          patient: row.patient,
          scope: row.scope,
          grantee: row.grantee,
          ...chain,
          active: !chain.revoked && chain.expiresAt > Date.now(),
          version: row.version,
        }
      : null,
  };
}

/**
 * Compares a grant's mirror row with ConsentManager. The chain looks grants up by (patient, scope,
 * grantee), which only the mirror row knows for a grant id; a re-read row keeps the check honest.
 */
export function verifyGrant(ctx: AppContext, grantId: string): Promise<Verification> {
  return verify(ctx, "grant", grantId, async () => {
    const row = await ctx.prisma.consentGrant.findUnique({ where: { grantId } });
    if (!row) return { checks: [existence("mirror row exists", false, true)], chain: null };
    return inspectGrant(ctx, row);
  });
}
