// Rating data for the doctor recommender: validated, indexed and laid out as compressed rows (CSR) both
// by patient (the patient's rated doctors) and by doctor (the doctor's raters), so the models walk plain
// typed arrays instead of maps. Pure: no database, no chain.

export interface Rating {
  patientId: string;
  doctorId: string;
  /** 1..5 from visit feedback. */
  rating: number;
}

export interface DoctorInfo {
  doctorId: string;
  department: string;
  /** The doctor's hospital score, used for the cold-start ranking. */
  hospitalScore: number;
}

export interface RatingData {
  patientIds: string[];
  patientIndex: Map<string, number>;
  doctors: DoctorInfo[];
  doctorIndex: Map<string, number>;
  /** Ratings of patient u: entries userStart[u] .. userStart[u+1]-1 of userItem / userRating. */
  userStart: Int32Array;
  userItem: Int32Array;
  userRating: Float64Array;
  /** Raters of doctor j: entries itemStart[j] .. itemStart[j+1]-1 of itemUser / itemRating. */
  itemStart: Int32Array;
  itemUser: Int32Array;
  itemRating: Float64Array;
  /** Each patient's mean rating (NaN for none). */
  userMean: Float64Array;
}

export function checkRating(r: Rating, at: number): void {
  if (typeof r.patientId !== "string" || r.patientId === "") throw new Error(`rating ${at}: patientId must be a non-empty string`);
  if (typeof r.doctorId !== "string" || r.doctorId === "") throw new Error(`rating ${at}: doctorId must be a non-empty string`);
  if (typeof r.rating !== "number" || !Number.isFinite(r.rating) || r.rating < 1 || r.rating > 5) {
    throw new Error(`rating ${at}: rating ${String(r.rating)} is outside 1..5`);
  }
}

export function indexDoctors(doctors: readonly DoctorInfo[]): Map<string, number> {
  const index = new Map<string, number>();
  doctors.forEach((d, j) => {
    if (typeof d.doctorId !== "string" || d.doctorId === "") throw new Error(`doctor ${j}: doctorId must be a non-empty string`);
    if (typeof d.department !== "string" || d.department === "") throw new Error(`doctor ${d.doctorId}: department must be a non-empty string`);
    if (!Number.isFinite(d.hospitalScore)) throw new Error(`doctor ${d.doctorId}: hospitalScore must be a finite number`);
    if (index.has(d.doctorId)) throw new Error(`doctor ${d.doctorId} is listed twice`);
    index.set(d.doctorId, j);
  });
  return index;
}

/** A patient who rated the same doctor after several visits counts once, with the mean of those ratings. */
export function buildRatingData(ratings: readonly Rating[], doctors: readonly DoctorInfo[]): RatingData {
  const doctorIndex = indexDoctors(doctors);
  const nItems = doctors.length;
  const patientIndex = new Map<string, number>();
  const patientIds: string[] = [];
  const pairOf = new Map<number, number>(); // u * nItems + j -> pair slot
  const pairUser: number[] = [];
  const pairItem: number[] = [];
  const pairSum: number[] = [];
  const pairCount: number[] = [];
  ratings.forEach((r, at) => {
    checkRating(r, at);
    const j = doctorIndex.get(r.doctorId);
    if (j === undefined) throw new Error(`rating ${at}: unknown doctor ${r.doctorId}`);
    let u = patientIndex.get(r.patientId);
    if (u === undefined) {
      u = patientIds.length;
      patientIndex.set(r.patientId, u);
      patientIds.push(r.patientId);
    }
    const key = u * nItems + j;
    const slot = pairOf.get(key);
    if (slot === undefined) {
      pairOf.set(key, pairUser.length);
      pairUser.push(u);
      pairItem.push(j);
      pairSum.push(r.rating);
      pairCount.push(1);
    } else {
      pairSum[slot]! += r.rating;
      pairCount[slot]! += 1;
    }
  });
  const nUsers = patientIds.length;
  const nPairs = pairUser.length;
  const userStart = new Int32Array(nUsers + 1);
  const itemStart = new Int32Array(nItems + 1);
  for (let p = 0; p < nPairs; p++) {
    userStart[pairUser[p]! + 1]! += 1;
    itemStart[pairItem[p]! + 1]! += 1;
  }
  for (let u = 0; u < nUsers; u++) userStart[u + 1]! += userStart[u]!;
  for (let j = 0; j < nItems; j++) itemStart[j + 1]! += itemStart[j]!;
  const userItem = new Int32Array(nPairs);
  const userRating = new Float64Array(nPairs);
  const itemUser = new Int32Array(nPairs);
  const itemRating = new Float64Array(nPairs);
  const userFill = userStart.slice(0, nUsers);
  const itemFill = itemStart.slice(0, nItems);
  const userMean = new Float64Array(nUsers);
  for (let p = 0; p < nPairs; p++) {
    const u = pairUser[p]!;
    const j = pairItem[p]!;
    const value = pairSum[p]! / pairCount[p]!;
    const a = userFill[u]!++;
    userItem[a] = j;
    userRating[a] = value;
    const b = itemFill[j]!++;
    itemUser[b] = u;
    itemRating[b] = value;
    userMean[u]! += value;
  }
  for (let u = 0; u < nUsers; u++) userMean[u]! /= userStart[u + 1]! - userStart[u]!;
  return {
    patientIds, patientIndex, doctors: [...doctors], doctorIndex,
    userStart, userItem, userRating, itemStart, itemUser, itemRating, userMean,
  };
}
