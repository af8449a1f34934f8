// Slope one (Lemire & Maclachlan, "Slope One Predictors for Online Rating-Based Collaborative Filtering",
// SDM 2005). For every ordered pair of doctors (j, i) keep, over the patients who rated both, the sum of
// r(u,j) − r(u,i) and the count c(j,i); dev(j,i) = sum / c(j,i).
// Weighted prediction: P(u,j) = Σ_i (dev(j,i) + r(u,i))·c(j,i) / Σ_i c(j,i) over the items i the patient rated
// with c(j,i) > 0; the unweighted form averages dev(j,i) + r(u,i) with equal weights.
// Dense items × items arrays (500 doctors → 250k cells each): building costs Σ_u |R(u)|² additions,
// a prediction |R(u)| reads.
import type { RatingData } from "./recommend-data.ts";

export interface SlopeOneModel {
  items: number;
  /** diffSum[j * items + i] = Σ (r(u,j) − r(u,i)) over patients who rated both. */
  diffSum: Float64Array;
  /** count[j * items + i] = c(j,i), the number of those patients. */
  count: Int32Array;
}

export interface Prediction {
  value: number;
  /** Slope one: Σ c(j,i); user CF: number of neighbours used. */
  support: number;
}

export function buildSlopeOne(data: RatingData): SlopeOneModel {
  const n = data.doctors.length;
  const diffSum = new Float64Array(n * n);
  const count = new Int32Array(n * n);
  const { userStart, userItem, userRating } = data;
  for (let u = 0; u + 1 < userStart.length; u++) {
    const from = userStart[u]!;
    const to = userStart[u + 1]!;
    for (let a = from; a < to; a++) {
      const row = userItem[a]! * n;
      const ra = userRating[a]!;
      for (let b = from; b < to; b++) {
        if (b === a) continue;
        const cell = row + userItem[b]!;
        diffSum[cell]! += ra - userRating[b]!;
        count[cell]! += 1;
      }
    }
  }
  return { items: n, diffSum, count };
}

/** The patient's ratings as parallel lists (item indices, values). */
export interface UserRatings {
  items: Int32Array;
  ratings: Float64Array;
}

/** Raw (unclamped) slope-one prediction of item j, or undefined when no rated item shares a patient with j. */
export function slopeOnePredict(model: SlopeOneModel, user: UserRatings, j: number, weighted = true): Prediction | undefined {
  const row = j * model.items;
  let numerator = 0;
  let weights = 0;
  let terms = 0;
  for (let a = 0; a < user.items.length; a++) {
    const i = user.items[a]!;
    if (i === j) continue;
    const c = model.count[row + i]!;
    if (c === 0) continue;
    const r = user.ratings[a]!;
    if (weighted) {
      // (dev + r)·c = diffSum + r·c
      numerator += model.diffSum[row + i]! + r * c;
      weights += c;
    } else {
      numerator += model.diffSum[row + i]! / c + r;
      weights += 1;
    }
    terms += c;
  }
  return weights > 0 ? { value: numerator / weights, support: terms } : undefined;
}
