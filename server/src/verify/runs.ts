import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { VerificationRun } from "../generated/prisma/client.ts";
import type { Check, Verification, VerifyKind } from "./checks.ts";
import { verifyGrant } from "./grant.ts";
import { verifyRecord } from "./record.ts";
import { verifyScore } from "./score.ts";
import { verifyVisit } from "./visit.ts";

// A run of the check of the whole mirror against the chain: every record, grant, visit and hospital
// score, read from the mirror page by page so that memory stays flat however large it grows. Runs
// never overlap: a run asked for while another is under way starts when that one ends.

const PAGE = 50;
/** Subjects checked at once; the chain node answers calls one by one anyway. */
const PARALLEL = 4;
/** The report keeps this many mismatched subjects; `mismatches` counts them all. */
export const REPORT_LIMIT = 200;

export const RUN_STATUSES = ["running", "ok", "mismatch", "error"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const ProblemSchema = z.object({
  name: z.string(),
  mirror: z.string().nullable(),
  chain: z.string().nullable(),
});
export const ReportEntrySchema = z
  .object({
    kind: z.enum(["record", "visit", "grant", "score", "run"]),
    id: z.string(),
    problems: z.array(ProblemSchema),
  })
  .meta({ id: "VerificationReportEntry" });
type ReportEntry = z.infer<typeof ReportEntrySchema>;

export const RunSummarySchema = z
  .object({
    id: z.string(),
    startedAt: z.number(),
    finishedAt: z.number().nullable(),
    checked: z.number().meta({ description: "Subjects checked (records, grants, visits, scores)" }),
    mismatches: z.number().meta({ description: "Subjects with at least one failed check" }),
    status: z.enum(RUN_STATUSES),
  })
  .meta({ id: "VerificationRunSummary" });
export const RunSchema = RunSummarySchema.extend({
  report: z
    .array(ReportEntrySchema)
    .meta({ description: `The mismatched subjects and their failed checks (at most ${REPORT_LIMIT})` }),
}).meta({ id: "VerificationRun" });

export function runSummaryView(r: VerificationRun): z.infer<typeof RunSummarySchema> {
  return {
    id: r.id.toString(),
    startedAt: Number(r.startedAt),
    finishedAt: r.finishedAt === null ? null : Number(r.finishedAt),
    checked: r.checked,
    mismatches: r.mismatches,
    status: r.status as RunStatus,
  };
}

export function runView(r: VerificationRun): z.infer<typeof RunSchema> {
  let report: ReportEntry[] = [];
  try {
    report = JSON.parse(r.report) as ReportEntry[];
  } catch {
    report = [];
  }
  return { ...runSummaryView(r), report };
}

/** Pages through one table's keys in key order, without holding more than one page. */
interface Subjects {
  kind: VerifyKind;
  page(after: string | null): Promise<string[]>;
  verify(id: string): Promise<Verification>;
}

function subjectsOf(ctx: AppContext): Subjects[] {
  const { prisma } = ctx;
  const after = (key: string, last: string | null) => (last === null ? {} : { [key]: { gt: last } });
  return [
    {
      kind: "record",
      page: async (last) =>
        (
          await prisma.emrRecord.findMany({
            where: after("recordId", last),
            orderBy: { recordId: "asc" },
            take: PAGE,
            select: { recordId: true },
          })
        ).map((r) => r.recordId),
      verify: (id) => verifyRecord(ctx, id),
    },
    {
      kind: "grant",
      page: async (last) =>
        (
          await prisma.consentGrant.findMany({
            where: after("grantId", last),
            orderBy: { grantId: "asc" },
            take: PAGE,
            select: { grantId: true },
          })
        ).map((r) => r.grantId),
      verify: (id) => verifyGrant(ctx, id),
    },
    {
      kind: "visit",
      page: async (last) =>
        (
          await prisma.visit.findMany({
            where: after("visitId", last),
            orderBy: { visitId: "asc" },
            take: PAGE,
            select: { visitId: true },
          })
        ).map((r) => r.visitId),
      verify: (id) => verifyVisit(ctx, id),
    },
    {
      kind: "score",
      page: async (last) =>
        (
          await prisma.hospitalScore.findMany({
            where: after("hospital", last),
            orderBy: { hospital: "asc" },
            take: PAGE,
            select: { hospital: true },
          })
        ).map((r) => r.hospital),
      verify: (id) => verifyScore(ctx, id),
    },
  ];
}

const problemsOf = (checks: Check[]) =>
  checks.filter((c) => !c.ok).map(({ name, mirror, chain }) => ({ name, mirror, chain }));

class RunStopped extends Error {}

export class VerificationRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly ctx: AppContext) {}

  /** Runs a check of the whole mirror once any run under way has ended; resolves with the finished run. */
  run(): Promise<VerificationRun> {
    const next = this.queue.then(() => this.runOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the run under way after the subjects being checked (it is recorded as an error) and refuses new ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  private async runOnce(): Promise<VerificationRun> {
    const { prisma, logger } = this.ctx;
    if (this.stopping) throw new Error("the verification runner is stopped");
    const started = await prisma.verificationRun.create({
      data: { startedAt: BigInt(Date.now()), report: "[]", status: "running" },
    });
    const report: ReportEntry[] = [];
    let checked = 0;
    let mismatches = 0;
    let failures = 0;
    const note = (entry: ReportEntry) => {
      if (report.length < REPORT_LIMIT) report.push(entry);
    };
    try {
      for (const subjects of subjectsOf(this.ctx)) {
        for (let last: string | null = null; ;) {
          if (this.stopping) throw new RunStopped("stopped before it finished");
          const ids = await subjects.page(last);
          if (!ids.length) break;
          for (let i = 0; i < ids.length; i += PARALLEL) {
            if (this.stopping) throw new RunStopped("stopped before it finished");
            await Promise.all(
              ids.slice(i, i + PARALLEL).map(async (id) => {
                try {
                  const v = await subjects.verify(id);
                  checked += 1;
                  if (!v.ok) {
                    mismatches += 1;
                    note({ kind: subjects.kind, id, problems: problemsOf(v.checks) });
                  }
                } catch (e) {
                  failures += 1;
                  note({
                    kind: subjects.kind,
                    id,
                    problems: [
                      {
                        name: "could not be checked",
                        mirror: null,
                        chain: (e as Error).message.slice(0, 300),
                      },
                    ],
                  });
                }
              }),
            );
          }
          last = ids[ids.length - 1]!;
          // Progress, so that a long run can be followed in GET /verify/runs.
          await prisma.verificationRun.update({ where: { id: started.id }, data: { checked, mismatches } });
          if (ids.length < PAGE) break;
        }
      }
    } catch (e) {
      failures += 1;
      note({
        kind: "run",
        id: started.id.toString(),
        problems: [{ name: "run ended early", mirror: null, chain: (e as Error).message.slice(0, 300) }],
      });
      if (!(e instanceof RunStopped)) logger.error({ err: e }, "verification run failed");
    }
    const status: RunStatus = failures ? "error" : mismatches ? "mismatch" : "ok";
    if (status !== "ok")
      logger.warn(
        { run: started.id.toString(), checked, mismatches, failures },
        "the mirror differs from the chain or could not be checked",
      );
    return prisma.verificationRun.update({
      where: { id: started.id },
      data: { finishedAt: BigInt(Date.now()), checked, mismatches, status, report: JSON.stringify(report) },
    });
  }
}

const runners = new WeakMap<AppContext, VerificationRunner>();

/** The one runner of an app, shared by the background check and POST /verify/runs. */
export function runnerOf(ctx: AppContext): VerificationRunner {
  let r = runners.get(ctx);
  if (!r) runners.set(ctx, (r = new VerificationRunner(ctx)));
  return r;
}
