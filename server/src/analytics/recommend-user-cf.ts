// User-based collaborative filtering (Resnick et al. 1994; Herlocker et al. 1999).
// Similarity of the target patient u and another patient v: cosine of their mean-centred ratings over the
// doctors both rated, sim = Σ (r(u,i)−m(u))(r(v,i)−m(v)) / √(Σ(r(u,i)−m(u))² · Σ(r(v,i)−m(v))²), where m is
// the patient's mean over all their ratings; shrunk by min(co-rated, shrink)/shrink (Herlocker's
// significance weighting) so two patients who share one doctor are not "perfectly similar".
// Prediction: P(u,j) = m(u) + Σ_v sim(u,v)·(r(v,j) − m(v)) / Σ_v |sim(u,v)| over the k most similar
// patients with sim > minSimilarity who rated j.
// Similarities are computed at query time and only against patients who share a doctor with u: the walk
// over the raters of u's doctors costs Σ_{i∈R(u)} |raters(i)|.
import type { RatingData } from "./recommend-data.ts";
import type { Prediction } from "./recommend-slope-one.ts";

export interface UserCfOptions {
  /** Neighbours per prediction. */
  neighbours: number;
  /** Co-rated count at which the similarity is no longer shrunk. */
  shrink: number;
  /** Only neighbours above this similarity are used. */
  minSimilarity: number;
}

export const DEFAULT_USER_CF: UserCfOptions = { neighbours: 30, shrink: 5, minSimilarity: 0 };

/** sim[v] for every patient v (0 for those sharing no doctor with u, and for u itself). */
export function similaritiesOf(data: RatingData, u: number, options: UserCfOptions): Float64Array {
  const nUsers = data.userMean.length;
  const dot = new Float64Array(nUsers);
  const normU = new Float64Array(nUsers);
  const normV = new Float64Array(nUsers);
  const coRated = new Int32Array(nUsers);
  const touched: number[] = [];
  const mu = data.userMean[u]!;
  for (let a = data.userStart[u]!; a < data.userStart[u + 1]!; a++) {
    const i = data.userItem[a]!;
    const cu = data.userRating[a]! - mu;
    for (let b = data.itemStart[i]!; b < data.itemStart[i + 1]!; b++) {
      const v = data.itemUser[b]!;
      if (v === u) continue;
      const cv = data.itemRating[b]! - data.userMean[v]!;
      if (coRated[v] === 0) touched.push(v);
      dot[v]! += cu * cv;
      normU[v]! += cu * cu;
      normV[v]! += cv * cv;
      coRated[v]! += 1;
    }
  }
  const sim = new Float64Array(nUsers);
  for (const v of touched) {
    const denominator = Math.sqrt(normU[v]! * normV[v]!);
    if (denominator === 0) continue;
    sim[v] = (dot[v]! / denominator) * (Math.min(coRated[v]!, options.shrink) / options.shrink);
  }
  return sim;
}

/** Prediction of doctor j for patient u from the precomputed similarities, or undefined with no neighbour. */
export function userCfPredict(data: RatingData, u: number, j: number, sim: Float64Array, options: UserCfOptions): Prediction | undefined {
  const k = options.neighbours;
  const topSim: number[] = [];
  const topDeviation: number[] = [];
  let weakest = 0; // index in topSim of the smallest similarity once full
  for (let b = data.itemStart[j]!; b < data.itemStart[j + 1]!; b++) {
    const v = data.itemUser[b]!;
    const s = sim[v]!;
    if (v === u || !(s > options.minSimilarity)) continue;
    const deviation = data.itemRating[b]! - data.userMean[v]!;
    if (topSim.length < k) {
      topSim.push(s);
      topDeviation.push(deviation);
      if (topSim.length === k) weakest = indexOfMin(topSim);
    } else if (s > topSim[weakest]!) {
      topSim[weakest] = s;
      topDeviation[weakest] = deviation;
      weakest = indexOfMin(topSim);
    }
  }
  if (topSim.length === 0) return undefined;
  let numerator = 0;
  let weights = 0;
  for (let a = 0; a < topSim.length; a++) {
    numerator += topSim[a]! * topDeviation[a]!;
    weights += Math.abs(topSim[a]!);
  }
  return { value: data.userMean[u]! + numerator / weights, support: topSim.length };
}

function indexOfMin(values: number[]): number {
  let best = 0;
  for (let a = 1; a < values.length; a++) if (values[a]! < values[best]!) best = a;
  return best;
}
