/**
 * Hospitals' evaluation scores (医院评估): the ranking, one hospital's score and its history, and the
 * alliance admin's writes (initialization from the level; adjustments signed as EIP-712
 * `ScoreAdjustment`). See docs/analytics.md "Hospital score" for the formula.
 */
import { get, post } from "./client";
import type { Signed } from "./consent";
import type { Address, Hex, Page, PageQuery } from "./types";

export interface LevelName {
  zh: string;
  en: string;
}

export interface HospitalScore {
  hospital: Address;
  name: string | null;
  /** The hospital's current level (null: not set). */
  level: number | null;
  levelName: LevelName | null;
  initialized: boolean;
  /** 0–1000; null before initialization. */
  score: number | null;
  /** The level the score was initialized from, and the score it gave. */
  initialLevel: number | null;
  initialScore: number | null;
  feedbackCount: number;
  averageRating: number | null;
  /** 1 + the number of hospitals with a higher score. */
  rank: number | null;
}

export interface RankingItem {
  rank: number;
  hospital: Address;
  name: string | null;
  score: number;
  level: number | null;
  levelName: LevelName | null;
  feedbackCount: number;
  averageRating: number | null;
}

export type ScoreEventKind = "initial" | "adjustment" | "feedback";

export interface ScoreEvent {
  kind: ScoreEventKind;
  reasonCode: number | null;
  reason: { code: number; key: string; zh: string; en: string } | null;
  /** An adjustment's delta as signed; otherwise the change after clamping. */
  delta: number;
  /** The score after this event. */
  score: number;
  evidenceHash: Hex | null;
  /** The adjustment's evidence or the feedback's comment, when the server keeps its text. */
  evidence: string | null;
  actor: Address | null;
  visitId: Hex | null;
  rating: number | null;
  at: number;
  txHash: Hex | null;
}

export type RankingSort = "score:desc" | "score:asc" | "feedback:desc" | "feedback:asc";

export const scoreApi = {
  ranking: (query: PageQuery & { sort?: RankingSort } = {}) =>
    get<Page<RankingItem>>("/hospitals/ranking", { params: query }),
  score: (hospital: string) => get<HospitalScore>(`/hospitals/${hospital}/score`),
  history: (
    hospital: string,
    query: PageQuery & { kind?: ScoreEventKind; sort?: "at:asc" | "at:desc" } = {},
  ) => get<Page<ScoreEvent>>(`/hospitals/${hospital}/score/history`, { params: query }),
  initialize: (hospital: string) => post<HospitalScore>(`/hospitals/${hospital}/score/initialization`, {}),
  adjust: (hospital: string, body: Signed & { reasonCode: number; delta: number; evidence: string }) =>
    post<{ score: HospitalScore; event: ScoreEvent }>(`/hospitals/${hospital}/score/adjustments`, body),
};
