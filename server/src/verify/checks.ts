import { z } from "zod";
import type { AppContext } from "../context.ts";
import { sendTx } from "../chain/chain.ts";

// The one answer of every verification (a record, a visit, a grant, a hospital's score): a list of
// named checks, each comparing what the mirror (or the off-chain store) holds with the reference,
// which is what the chain holds or a value recomputed from data whose hash is on chain.

export const VERIFY_KINDS = ["record", "visit", "grant", "score"] as const;
export type VerifyKind = (typeof VERIFY_KINDS)[number];

export const CheckSchema = z
  .object({
    name: z.string(),
    ok: z.boolean(),
    mirror: z
      .string()
      .nullable()
      .meta({ description: "What the mirror or the off-chain store holds (null: nothing)" }),
    chain: z
      .string()
      .nullable()
      .meta({ description: "The reference: the chain's value, or one recomputed from data hashed on chain" }),
  })
  .meta({ id: "VerificationCheck" });
export type Check = z.infer<typeof CheckSchema>;

const StateValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const VerificationSchema = z
  .object({
    kind: z.enum(VERIFY_KINDS),
    id: z.string(),
    ok: z.boolean().meta({ description: "Every check passed" }),
    checks: z.array(CheckSchema),
    checkedAt: z.number().meta({ description: "When the checks ran (ms)" }),
    blockNumber: z.number().meta({ description: "The chain's head block when the checks ran" }),
    chain: z
      .record(z.string(), StateValue)
      .nullable()
      .meta({ description: "The subject as the chain holds it (null: the chain does not know it)" }),
  })
  .meta({ id: "Verification" });
export type Verification = z.infer<typeof VerificationSchema>;

const text = (v: unknown): string | null => (v == null ? null : typeof v === "string" ? v : String(v));

/** A check passes when the reference exists and both sides are equal (hex and addresses in any case). */
export function check(name: string, mirror: unknown, chain: unknown): Check {
  const m = text(mirror);
  const c = text(chain);
  return { name, ok: c !== null && m !== null && m.toLowerCase() === c.toLowerCase(), mirror: m, chain: c };
}

/** Whether something exists on each side, as a check. */
export const existence = (name: string, inMirror: boolean, onChain: boolean): Check =>
  check(name, String(inMirror), String(onChain));

export interface Outcome {
  checks: Check[];
  chain: Record<string, string | number | boolean | null> | null;
}

/**
 * Runs `inspect` and shapes its answer. A failed check may only mean that the indexer has not yet
 * mirrored the newest block, so a mismatch is looked at a second time once the mirror has caught up
 * with the chain's head; only what still differs then is reported.
 */
export async function verify(
  ctx: AppContext,
  kind: VerifyKind,
  id: string,
  inspect: () => Promise<Outcome>,
): Promise<Verification> {
  // sendTx maps an unreachable chain node to 502 (and a reverted call to 422) for the caller.
  const head = () => sendTx(() => ctx.chain.client.blockNumber());
  let blockNumber = await head();
  let outcome = await sendTx(inspect);
  if (!outcome.checks.every((c) => c.ok)) {
    const caughtUp = await ctx.indexer.waitForBlock(blockNumber, 5_000).then(
      () => true,
      () => false,
    );
    if (caughtUp) {
      blockNumber = await head();
      outcome = await sendTx(inspect);
    }
  }
  return {
    kind,
    id,
    ok: outcome.checks.every((c) => c.ok),
    checks: outcome.checks,
    checkedAt: Date.now(),
    blockNumber,
    chain: outcome.chain,
  };
}

/** The names of the failed checks, for the audit log. */
export function auditDetail(v: Verification): string {
  const failed = v.checks.filter((c) => !c.ok).map((c) => c.name);
  return failed.length ? `MISMATCH: ${failed.join("; ")}` : "verified";
}
