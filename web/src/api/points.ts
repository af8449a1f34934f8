/**
 * A patient's contribution points (total, tier, perks, points per settled record) and the doctors
 * recommended to them. Points come in tenths (the chain's unit) and as decimal strings.
 */
import { get } from "./client";
import type { Address, Hex, Page, PageQuery } from "./types";

export interface PointsTier {
  code: number;
  zh: string;
  en: string;
  thresholdTenths: number;
}

export interface PatientPoints {
  patient: Address;
  totalTenths: number;
  points: string;
  tier: PointsTier;
  nextTier: (PointsTier & { missingTenths: number }) | null;
  perks: { key: string; zh: string; en: string }[];
  settledRecords: number;
}

export interface RecordPoints {
  recordId: Hex;
  patient: Address;
  share: number;
  /** 0 = unrated */
  valueLevel: number;
  rarityLevel: number;
  pointsTenths: number;
  points: string;
  settledAt: number;
  txHash: Hex | null;
}

export type RecommendationBasis = "blend" | "slope-one" | "user-cf" | "cold-start";

export interface DoctorRecommendation {
  doctor: Address;
  name: string | null;
  hospital: Address;
  hospitalName: string | null;
  department: string | null;
  /** Predicted rating 1–5; null for a cold-start entry. */
  predicted: number | null;
  basis: RecommendationBasis;
  hospitalScore: number | null;
  ratingCount: number;
  averageRating: number | null;
}

export interface Recommendations {
  patient: Address;
  department: string | null;
  coldStart: boolean;
  items: DoctorRecommendation[];
}

export const pointsApi = {
  patient: (address: Address) => get<PatientPoints>(`/points/patients/${address}`),
  records: (address: Address, query: PageQuery & { sort?: string } = {}) =>
    get<Page<RecordPoints>>(`/points/patients/${address}/records`, { params: query }),
  recommendations: (query: { patient?: Address; department?: string; limit?: number }) =>
    get<Recommendations>("/recommendations/doctors", { params: query }),
};
