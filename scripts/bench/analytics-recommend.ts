// Doctor recommendation at the scale: 10k patients × 500 doctors × 200k generated ratings
// (latent-factor model + noise). Measures the model build (target < 10 s), the top-10 query for one
// patient (target < 50 ms, p50/p95 over many patients, including cold-start ones) and the held-out
// RMSE/MAE of slope one, user CF and the blend against the per-doctor-mean baseline.
import { compareWithBaseline, generateRatings, splitHeldOut } from "../../server/src/analytics/recommend-evaluate.ts";
import { buildRecommender } from "../../server/src/analytics/recommend.ts";
import { timeOnce, timeRuns } from "./timing.ts";

export async function benchRecommend() {
  const patients = 10_000;
  const doctorCount = 500;
  const ratingCount = 200_000;
  const { ratings, doctors } = generateRatings(patients, doctorCount, ratingCount, 2024, 20);
  let recommender = buildRecommender(ratings, doctors); // warm-up (JIT)
  const buildMs = await timeOnce(() => {
    recommender = buildRecommender(ratings, doctors);
  });
  const ids = Array.from({ length: 500 }, (_, a) => `p${(a * 7919) % patients}`);
  const departments = [...new Set(doctors.map((d) => d.department))];
  const top10AllDoctors = await timeRuns(ids.length, (a) => recommender.topN(ids[a]!, { n: 10 }));
  const top10Department = await timeRuns(ids.length, (a) => recommender.topN(ids[a]!, { n: 10, department: departments[a % departments.length] }));
  const coldStart = await timeRuns(100, (a) => recommender.topN(`new-${a}`, { n: 10, department: departments[a % departments.length] }));

  // Accuracy: 10% of the ratings held out (patients keep at least 2 in training), model built on the rest.
  const { train, test } = splitHeldOut(ratings, 0.1, 99);
  const heldOutModel = buildRecommender(train, doctors);
  let accuracy!: ReturnType<typeof compareWithBaseline>;
  const evaluateMs = await timeOnce(() => {
    accuracy = compareWithBaseline(heldOutModel, train, test);
  });
  return {
    patients,
    doctors: doctorCount,
    ratings: ratingCount,
    departments: departments.length,
    buildMs: Number(buildMs.toFixed(1)),
    buildTargetMs: 10_000,
    top10AllDoctors,
    top10OneDepartment: top10Department,
    top10ColdStart: coldStart,
    queryTargetMs: 50,
    accuracy: { ...accuracy, evaluateMs: Number(evaluateMs.toFixed(1)) },
  };
}
