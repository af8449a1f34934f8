import { z } from "zod";
import type { Session } from "../auth/session.ts";
import type { AppContext } from "../context.ts";
import type { StatisticsRound } from "../generated/prisma/client.ts";
import { diagnosesOf, isClosed } from "./service.ts";

// What a round looks like to its readers. Nobody sees a submission's ciphertexts through the API, and
// nothing shows a hospital's own value: only who submitted when (to admins and regulators), whether the
// caller submitted (to hospitals), and the totals once the round is closed.

export const RoundSchema = z
  .object({
    id: z.number(),
    title: z.string(),
    diagnoses: z.array(z.string()),
    closesAt: z.number(),
    status: z.enum(["open", "closed"]).meta({ description: "`closed` once an admin closed it or closesAt has passed" }),
    publicKey: z
      .object({ v: z.literal(1), alg: z.literal("Paillier-g=n+1"), n: z.string() })
      .meta({ description: "The round's Paillier public key: encrypt each count with sdk encryptCounts" }),
    openedBy: z.string(),
    openedAt: z.number(),
    closedBy: z.string().nullable(),
    closedAt: z.number().nullable(),
    submissions: z.number().meta({ description: "How many hospitals have submitted" }),
    submittedByMe: z.boolean().meta({ description: "Whether the calling hospital has submitted" }),
    submitters: z
      .array(z.object({ hospital: z.string(), submittedAt: z.number() }))
      .optional()
      .meta({ description: "Who submitted when (admins and regulators only; never what)" }),
    totals: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: "Decrypted totals per diagnosis (decimal strings), once an admin closed the round" }),
  })
  .meta({ id: "StatisticsRound" });
export type RoundView = z.infer<typeof RoundSchema>;

const seesSubmitters = (session: Session) => session.roles.includes("alliance-admin") || session.roles.includes("regulator");

export async function roundViews(ctx: AppContext, session: Session, rounds: StatisticsRound[]): Promise<RoundView[]> {
  const ids = rounds.map((r) => r.id);
  const submissions = await ctx.prisma.statisticsSubmission.findMany({
    where: { roundId: { in: ids } },
    select: { roundId: true, hospital: true, submittedAt: true },
    orderBy: { submittedAt: "asc" },
  });
  return rounds.map((round) => {
    const mine = submissions.filter((s) => s.roundId === round.id);
    return {
      id: round.id,
      title: round.title,
      diagnoses: diagnosesOf(round),
      closesAt: Number(round.closesAt),
      status: isClosed(round) ? "closed" : "open",
      publicKey: JSON.parse(round.publicKey),
      openedBy: round.openedBy,
      openedAt: Number(round.openedAt),
      closedBy: round.closedBy,
      closedAt: round.closedAt === null ? null : Number(round.closedAt),
      submissions: mine.length,
      submittedByMe: mine.some((s) => s.hospital === session.address),
      submitters: seesSubmitters(session)
        ? mine.map((s) => ({ hospital: s.hospital, submittedAt: Number(s.submittedAt) }))
        : undefined,
      totals: round.totals === null ? null : (JSON.parse(round.totals) as Record<string, string>),
    };
  });
}
