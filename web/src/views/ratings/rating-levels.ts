/**
 * The value and rarity levels a hospital chooses from, with the scores the contract gives them
 * (sdk/src/points.ts is the one table: value 5 / 20 / 30, rarity 5 / 15 / 25).
 */
import { RARITY, VALUE } from "@yyl/sdk";
import type { Level } from "@/api/ratings";

export const LEVELS: readonly Level[] = [1, 2, 3];

export const valueScore = (level: Level): number => VALUE[level];
export const rarityScore = (level: Level): number => RARITY[level];

/** The trend windows a hospital may pick, in days. */
export const WINDOW_CHOICES = [7, 30, 90] as const;

/** Tag colour of a suggested level: the wider the use, the warmer. */
export const LEVEL_TAG: Record<Level, "info" | "warning" | "success"> = {
  1: "info",
  2: "warning",
  3: "success",
};
