import { departmentCodeOf } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { buildRecommender, type DoctorInfo, type Rating, type Recommender } from "../analytics/recommend.ts";
import { profileDepartmentOf } from "../members/certification-view.ts";
import { ROLE_CODES, STATUS_APPROVED } from "../members/codes.ts";

// The recommender built from the chain mirror, kept in memory and rebuilt only when the mirror changed.
//
// Ratings: each visit feedback (ScoreEvent kind "feedback") is its patient's rating of the doctor who
// signed the visit's consultation (step 3); a visit without one counts for the doctor of its last step.
// A patient who rated the same doctor several times counts once, with the mean (recommend-data.ts).
// Doctors: approved doctors of approved hospitals, with the department code of their profile's
// department text (as for attribute keys) and their hospital's current score; a hospital with no score
// ranks lowest in the cold start. A doctor whose department is not one of the sdk list is kept (their
// ratings still tell who resembles whom) but is only recommended when no department is asked for.

const CONSULTATION_STEP = 3;
/** Stands in for "no known department" inside the model, which wants a non-empty string. */
export const NO_DEPARTMENT = "-";
/** A hospital with no score ranks below every scored one (scores are 0 or more). */
const NO_SCORE = -1;

export interface DoctorFacts {
  doctor: string;
  hospital: string;
  department: string | null;
  hospitalScore: number | null;
  ratingCount: number;
  ratingSum: number;
}

export interface RecommendationModel {
  recommender: Recommender;
  doctors: Map<string, DoctorFacts>;
  builtFrom: string;
}

/** Cheap fingerprint of what the model depends on: score events (feedback and every score change) and
 *  the approved doctors. Two aggregate queries per request; the model is rebuilt only when it moves. */
async function fingerprintOf(ctx: AppContext): Promise<string> {
  const [events, feedback, doctors] = await Promise.all([
    ctx.prisma.scoreEvent.aggregate({ _max: { id: true }, _count: { _all: true } }),
    ctx.prisma.scoreEvent.count({ where: { kind: "feedback" } }),
    ctx.prisma.member.aggregate({
      where: { role: ROLE_CODES.doctor, status: STATUS_APPROVED },
      _count: { _all: true },
      _max: { decidedAt: true },
    }),
  ]);
  return [events._max.id, events._count._all, feedback, doctors._count._all, doctors._max.decidedAt].join(
    "/",
  );
}

/** The visit's rated doctor: its consultation's, else its last step's. */
async function doctorsOfVisits(ctx: AppContext, visitIds: string[]): Promise<Map<string, string>> {
  const steps = await ctx.prisma.visitStep.findMany({
    where: { visitId: { in: visitIds } },
    select: { visitId: true, step: true, doctor: true, blockNumber: true, logIndex: true },
    orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }],
  });
  const consultation = new Map<string, string>();
  const last = new Map<string, string>();
  for (const s of steps) {
    if (s.step === CONSULTATION_STEP) consultation.set(s.visitId, s.doctor);
    last.set(s.visitId, s.doctor);
  }
  return new Map(
    visitIds.flatMap((v) => {
      const d = consultation.get(v) ?? last.get(v);
      return d ? [[v, d] as const] : [];
    }),
  );
}

async function loadDoctors(ctx: AppContext): Promise<DoctorFacts[]> {
  const { prisma } = ctx;
  const hospitals = await prisma.member.findMany({
    where: { role: ROLE_CODES.hospital, status: STATUS_APPROVED },
    select: { address: true },
  });
  const approved = hospitals.map((h) => h.address);
  const [doctors, scores] = await Promise.all([
    prisma.member.findMany({
      where: { role: ROLE_CODES.doctor, status: STATUS_APPROVED, hospital: { in: approved } },
      select: { address: true, hospital: true },
    }),
    prisma.hospitalScore.findMany({
      where: { hospital: { in: approved } },
      select: { hospital: true, score: true },
    }),
  ]);
  const scoreOf = new Map(scores.map((s) => [s.hospital, s.score]));
  return Promise.all(
    doctors.map(async (d) => ({
      doctor: d.address,
      hospital: d.hospital!,
      department: departmentCodeOf(await profileDepartmentOf(ctx, d.address)),
      hospitalScore: scoreOf.get(d.hospital!) ?? null,
      ratingCount: 0,
      ratingSum: 0,
    })),
  );
}

async function buildModel(ctx: AppContext, builtFrom: string): Promise<RecommendationModel> {
  const [doctorList, feedback] = await Promise.all([
    loadDoctors(ctx),
    ctx.prisma.scoreEvent.findMany({
      where: { kind: "feedback", visitId: { not: null }, actor: { not: null }, rating: { not: null } },
      select: { visitId: true, actor: true, rating: true },
    }),
  ]);
  const doctors = new Map(doctorList.map((d) => [d.doctor, d]));
  const doctorOfVisit = await doctorsOfVisits(
    ctx,
    feedback.map((f) => f.visitId!),
  );
  const ratings: Rating[] = [];
  for (const f of feedback) {
    const facts = doctors.get(doctorOfVisit.get(f.visitId!) ?? "");
    if (!facts) continue; // a doctor no longer approved is not recommended, nor counted
    ratings.push({ patientId: f.actor!, doctorId: facts.doctor, rating: f.rating! });
    facts.ratingCount += 1;
    facts.ratingSum += f.rating!;
  }
  const infos: DoctorInfo[] = doctorList.map((d) => ({
    doctorId: d.doctor,
    department: d.department ?? NO_DEPARTMENT,
    hospitalScore: d.hospitalScore ?? NO_SCORE,
  }));
  return { recommender: buildRecommender(ratings, infos), doctors, builtFrom };
}

/** The model per application context; concurrent requests after a change share one rebuild. */
const models = new WeakMap<AppContext, Promise<RecommendationModel>>();
const builds = new WeakMap<AppContext, number>();

/** How many times the model was built in this context (tests check it is not rebuilt per request). */
export const recommendationModelBuilds = (ctx: AppContext): number => builds.get(ctx) ?? 0;

export async function recommendationModel(ctx: AppContext): Promise<RecommendationModel> {
  const fingerprint = await fingerprintOf(ctx);
  const cached = models.get(ctx);
  if (cached) {
    const model = await cached.catch(() => null);
    if (model?.builtFrom === fingerprint) return model;
    // another request may have started the rebuild meanwhile
    const latest = models.get(ctx);
    if (latest !== cached) {
      const other = await latest!.catch(() => null);
      if (other?.builtFrom === fingerprint) return other;
    }
  }
  const building = buildModel(ctx, fingerprint);
  models.set(ctx, building);
  builds.set(ctx, (builds.get(ctx) ?? 0) + 1);
  return building;
}
