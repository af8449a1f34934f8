/**
 * Hospitals' value and rarity ratings of shared records (积分激励) with the entropy hint (信息熵): the
 * records a hospital may rate, the hint for one record, the rating (sent on chain by the hospital's
 * operator account) and the settlement that moves the patient's points. See docs/analytics.md.
 */
import { get, post } from "./client";
import type { Address, EmrRecord, Hex, Page, PageQuery } from "./types";

export type Level = 1 | 2 | 3;

export interface MyRating {
  valueLevel: number;
  rarityLevel: number;
  ratedAt: number;
}

export interface RatableRecord {
  record: EmrRecord;
  /** This hospital's latest rating of the record. */
  myRating: MyRating | null;
  /** The record's last settlement (by any party), or null. */
  settled: { valueLevel: number; rarityLevel: number; pointsTenths: number; settledAt: number } | null;
}

export type ExplanationKey =
  | "noAccesses"
  | "oneInstitution"
  | "fewInstitutions"
  | "manyInstitutions"
  | "spreading"
  | "narrowing"
  | "steady"
  | "otherAccessesLeftOut";

export interface TrendWindow {
  from: number;
  to: number;
  accesses: number;
  entropyBits: number;
  suggestedLevel: Level;
}

export interface ValueHint {
  recordId: Hex;
  institutions: { institution: Address; name: string | null; accesses: number }[];
  accesses: number;
  otherAccesses: number;
  entropyBits: number;
  effectiveInstitutions: number;
  suggestedLevel: Level;
  explanation: ExplanationKey[];
  windowDays: number;
  /** Oldest window first. */
  overTime: TrendWindow[];
  myRating: MyRating | null;
}

export interface Rating {
  recordId: Hex;
  hospital: Address;
  valueLevel: number;
  rarityLevel: number;
  ratedAt: number;
  txHash: Hex;
}

export interface RecordPoints {
  recordId: Hex;
  patient: Address;
  share: number;
  valueLevel: number;
  rarityLevel: number;
  pointsTenths: number;
  points: string;
  settledAt: number;
  txHash: Hex | null;
}

export const ratingsApi = {
  ratable: (query: PageQuery = {}) => get<Page<RatableRecord>>("/points/ratable-records", { params: query }),
  hint: (recordId: string, windowDays = 30) =>
    get<ValueHint>(`/points/records/${recordId}/value-hint`, { params: { window: windowDays } }),
  rate: (recordId: string, body: { valueLevel: Level; rarityLevel: Level }) =>
    post<Rating>(`/points/records/${recordId}/rating`, body),
  settle: (recordId: string) => post<RecordPoints>(`/points/records/${recordId}/settlement`, {}),
};
