// A seeded generator of doctor ratings from a latent-factor model, a held-out split and the error of a
// predictor (RMSE, MAE), so tests and the benchmark measure the recommender against the per-doctor-mean
// baseline on the same data.
import type { DoctorInfo, Rating } from "./recommend-data.ts";
import type { DoctorPrediction, Recommender } from "./recommend.ts";

/** mulberry32: a small seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface GeneratedRatings {
  ratings: Rating[];
  doctors: DoctorInfo[];
}

/**
 * rating = round(3 + b(u) + b(j) + p(u)·q(j) + noise), clamped to 1..5, with `factors` latent dimensions.
 * Each pair is drawn once; doctors are chosen with a popularity skew (index ∝ U²) so some are rated often.
 */
export function generateRatings(patients: number, doctorCount: number, ratingCount: number, seed: number, departments = 10, factors = 3): GeneratedRatings {
  if (ratingCount > patients * doctorCount) throw new Error(`ratingCount ${ratingCount} exceeds patients × doctors`);
  const random = seededRandom(seed);
  const scale = 0.9 / Math.sqrt(factors);
  const userBias = Array.from({ length: patients }, () => 0.4 * gaussian(random));
  const itemBias = Array.from({ length: doctorCount }, () => 0.5 * gaussian(random));
  const p = Array.from({ length: patients * factors }, () => gaussian(random));
  const q = Array.from({ length: doctorCount * factors }, () => gaussian(random) * scale);
  const doctors: DoctorInfo[] = Array.from({ length: doctorCount }, (_, j) => ({
    doctorId: `d${j}`,
    department: `dept${j % departments}`,
    hospitalScore: Math.round(60 + 40 * random()),
  }));
  const seen = new Set<number>();
  const ratings: Rating[] = [];
  while (ratings.length < ratingCount) {
    const u = Math.floor(random() * patients);
    const j = Math.floor(random() * random() * doctorCount);
    const key = u * doctorCount + j;
    if (seen.has(key)) continue;
    seen.add(key);
    let dot = 0;
    for (let f = 0; f < factors; f++) dot += p[u * factors + f]! * q[j * factors + f]!;
    const raw = 3 + userBias[u]! + itemBias[j]! + dot + 0.5 * gaussian(random);
    ratings.push({ patientId: `p${u}`, doctorId: `d${j}`, rating: Math.min(5, Math.max(1, Math.round(raw))) });
  }
  return { ratings, doctors };
}

/** Holds out about `fraction` of the ratings (seeded), only once the patient has `minKept` ratings in training. */
export function splitHeldOut(ratings: readonly Rating[], fraction: number, seed: number, minKept = 2): { train: Rating[]; test: Rating[] } {
  const random = seededRandom(seed);
  const kept = new Map<string, number>();
  const train: Rating[] = [];
  const test: Rating[] = [];
  for (const r of ratings) {
    const alreadyKept = kept.get(r.patientId) ?? 0;
    if (alreadyKept >= minKept && random() < fraction) {
      test.push(r);
    } else {
      train.push(r);
      kept.set(r.patientId, alreadyKept + 1);
    }
  }
  return { train, test };
}

export interface ErrorStats {
  rmse: number;
  mae: number;
  /** Share of held-out ratings the method predicted itself (the rest fall back to the baseline). */
  coverage: number;
}

/** RMSE and MAE of `predict` over `test`; where it gives undefined, `fallback` is used and coverage drops. */
export function errorOf(test: readonly Rating[], predict: (r: Rating) => number | undefined, fallback: (r: Rating) => number): ErrorStats {
  let squared = 0;
  let absolute = 0;
  let covered = 0;
  for (const r of test) {
    const own = predict(r);
    if (own !== undefined) covered++;
    const e = (own ?? fallback(r)) - r.rating;
    squared += e * e;
    absolute += Math.abs(e);
  }
  return { rmse: Math.sqrt(squared / test.length), mae: absolute / test.length, coverage: covered / test.length };
}

/** The per-doctor-mean baseline from training ratings (the global mean for a doctor with none). */
export function itemMeanBaseline(train: readonly Rating[]): (r: Rating) => number {
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  let total = 0;
  for (const r of train) {
    sum.set(r.doctorId, (sum.get(r.doctorId) ?? 0) + r.rating);
    count.set(r.doctorId, (count.get(r.doctorId) ?? 0) + 1);
    total += r.rating;
  }
  const globalMean = total / train.length;
  return (r) => (count.has(r.doctorId) ? sum.get(r.doctorId)! / count.get(r.doctorId)! : globalMean);
}

export interface AccuracyReport {
  heldOut: number;
  baseline: ErrorStats;
  slopeOne: ErrorStats;
  userCf: ErrorStats;
  blend: ErrorStats;
}

/** Errors of slope one, user CF and the blend (each clamped to 1..5) against the per-doctor-mean baseline. */
export function compareWithBaseline(recommender: Recommender, train: readonly Rating[], test: readonly Rating[]): AccuracyReport {
  const baseline = itemMeanBaseline(train);
  const byPatient = new Map<string, Rating[]>();
  for (const r of test) byPatient.set(r.patientId, [...(byPatient.get(r.patientId) ?? []), r]);
  const predicted = new Map<Rating, DoctorPrediction | undefined>();
  for (const [patientId, list] of byPatient) {
    const out = recommender.predictMany(patientId, list.map((r) => r.doctorId));
    list.forEach((r, a) => predicted.set(r, out[a]));
  }
  const clamp = (x: number | undefined) => (x === undefined ? undefined : Math.min(5, Math.max(1, x)));
  return {
    heldOut: test.length,
    baseline: errorOf(test, baseline, baseline),
    slopeOne: errorOf(test, (r) => clamp(predicted.get(r)?.slopeOne), baseline),
    userCf: errorOf(test, (r) => clamp(predicted.get(r)?.userCf), baseline),
    blend: errorOf(test, (r) => predicted.get(r)?.value, baseline),
  };
}
