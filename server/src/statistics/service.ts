import {
  aggregate,
  decryptTotals,
  paillierPublicKeyFromJson,
  parseCiphertext,
  type EncryptedCounts,
  type PaillierCiphertext,
} from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import type { StatisticsRound } from "../generated/prisma/client.ts";
import { ApiError, badRequest, notFound, type ErrorDetail } from "../http/errors.ts";
import { createRoundKeys, openRoundPrivateKey } from "./round-keys.ts";

// Statistics rounds: open (with a fresh key pair), take one encrypted submission per hospital, close
// (aggregate the ciphertexts, decrypt the totals only). No code path here decrypts a single submission.

export const diagnosesOf = (round: StatisticsRound): string[] => JSON.parse(round.diagnoses) as string[];
export const isClosed = (round: StatisticsRound, now = Date.now()): boolean =>
  round.closedAt !== null || Number(round.closesAt) <= now;

export async function findRound(ctx: AppContext, id: number): Promise<StatisticsRound> {
  const round = await ctx.prisma.statisticsRound.findUnique({ where: { id } });
  if (!round) throw notFound(`statistics round ${id}`);
  return round;
}

export async function openRound(
  ctx: AppContext,
  admin: string,
  input: { title: string; diagnoses: string[]; closesAt: number },
): Promise<StatisticsRound> {
  if (input.closesAt <= Date.now()) throw badRequest("closesAt is in the past", [{ path: "closesAt", message: "must be in the future" }]);
  const keys = await createRoundKeys(ctx.config.kmcKek);
  return ctx.prisma.statisticsRound.create({
    data: {
      title: input.title,
      diagnoses: JSON.stringify(input.diagnoses),
      closesAt: BigInt(input.closesAt),
      publicKey: keys.publicKey,
      privateKey: keys.sealedPrivateKey,
      openedBy: admin,
      openedAt: BigInt(Date.now()),
    },
  });
}

/**
 * Checks every ciphertext of a submission against the round: a diagnosis the round asks for, made
 * under the round's key, in range and a unit mod n² (sdk parseCiphertext). Paillier is malleable, so a
 * well-formed ciphertext of a wrong count cannot be caught here; closing checks that the totals are sane.
 */
function checkSubmission(round: StatisticsRound, counts: Record<string, PaillierCiphertext>): void {
  const publicKey = paillierPublicKeyFromJson(round.publicKey);
  const asked = new Set(diagnosesOf(round));
  const details: ErrorDetail[] = [];
  for (const [code, ciphertext] of Object.entries(counts)) {
    if (!asked.has(code)) {
      details.push({ path: `counts.${code}`, message: "this round does not ask for this diagnosis" });
      continue;
    }
    try {
      parseCiphertext(publicKey, ciphertext);
    } catch (e) {
      details.push({ path: `counts.${code}`, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (details.length) throw badRequest(`invalid ${details.map((d) => d.path).join(", ")}`, details);
}

export async function submitCounts(
  ctx: AppContext,
  round: StatisticsRound,
  hospital: string,
  counts: Record<string, PaillierCiphertext>,
): Promise<{ submittedAt: number }> {
  if (isClosed(round)) throw new ApiError(409, "ROUND_CLOSED", `statistics round ${round.id} no longer takes submissions`);
  const earlier = await ctx.prisma.statisticsSubmission.findUnique({
    where: { roundId_hospital: { roundId: round.id, hospital } },
  });
  if (earlier) throw new ApiError(409, "ALREADY_SUBMITTED", "this hospital has already submitted to this round");
  checkSubmission(round, counts);
  const submittedAt = Date.now();
  // Store the ciphertexts as received (only the fields the sdk reads), nothing derived from them.
  const stored = Object.fromEntries(Object.entries(counts).map(([code, ct]) => [code, { v: ct.v, key: ct.key, c: ct.c }]));
  const created = await ctx.prisma.statisticsSubmission.createMany({
    data: [{ roundId: round.id, hospital, counts: JSON.stringify(stored), submittedAt: BigInt(submittedAt) }],
    skipDuplicates: true,
  });
  if (created.count === 0) throw new ApiError(409, "ALREADY_SUBMITTED", "this hospital has already submitted to this round");
  return { submittedAt };
}

/**
 * Multiplies the submissions' ciphertexts per diagnosis and decrypts those products only: the totals.
 * A diagnosis no hospital reported totals zero.
 */
export async function closeRound(ctx: AppContext, round: StatisticsRound, admin: string): Promise<void> {
  if (round.closedAt !== null) throw new ApiError(409, "ROUND_CLOSED", `statistics round ${round.id} is already closed`);
  const rows = await ctx.prisma.statisticsSubmission.findMany({ where: { roundId: round.id } });
  const totals: Record<string, string> = Object.fromEntries(diagnosesOf(round).map((code) => [code, "0"]));
  if (rows.length) {
    const publicKey = paillierPublicKeyFromJson(round.publicKey);
    const encryptedTotals = aggregate(publicKey, rows.map((r) => JSON.parse(r.counts) as EncryptedCounts));
    const privateKey = await openRoundPrivateKey(ctx.config.kmcKek, { publicKey: round.publicKey, sealedPrivateKey: round.privateKey });
    let plain: Record<string, bigint>;
    try {
      plain = decryptTotals(privateKey, encryptedTotals);
    } catch (e) {
      // Only a submission of a huge or altered value gets here; the round stays open so it can be looked into.
      throw new ApiError(409, "TOTAL_OUT_OF_RANGE", e instanceof Error ? e.message : String(e));
    }
    for (const [code, total] of Object.entries(plain)) totals[code] = total.toString();
  }
  const updated = await ctx.prisma.statisticsRound.updateMany({
    where: { id: round.id, closedAt: null },
    data: { closedAt: BigInt(Date.now()), closedBy: admin, totals: JSON.stringify(totals) },
  });
  if (updated.count === 0) throw new ApiError(409, "ROUND_CLOSED", `statistics round ${round.id} is already closed`);
}
