/**
 * The points rule and tier table as the page explains them, all numbers taken from the sdk's one table
 * (`@yyl/sdk` points.ts), none typed again here.
 */
import {
  formatPoints,
  PERK,
  PERK_NAMES,
  perksOf,
  RARITY,
  TIERS,
  VALUE,
  WEIGHT_TENTHS,
  type Locale,
  type PerkName,
} from "@yyl/sdk";

/** Weights as decimals: tenths 3 → "0.3". */
const weight = (tenths: number) => (tenths / 10).toFixed(1);

export const RULE_WEIGHTS = {
  share: weight(WEIGHT_TENTHS.share),
  value: weight(WEIGHT_TENTHS.value),
  rarity: weight(WEIGHT_TENTHS.rarity),
};
export const VALUE_SCORES = { v1: VALUE[1], v2: VALUE[2], v3: VALUE[3] };
export const RARITY_SCORES = { r1: RARITY[1], r2: RARITY[2], r3: RARITY[3] };

/** Every perk, in bit order, with whether the tier holds it. */
export function perkRows(tierCode: number, lang: Locale): { key: PerkName; name: string; owned: boolean }[] {
  const mask = TIERS[tierCode]?.perks ?? 0;
  return (Object.keys(PERK) as PerkName[]).map((key) => ({
    key,
    name: PERK_NAMES[key][lang],
    owned: (mask & PERK[key]) !== 0,
  }));
}

/** The tier table rows: name, threshold in points, perk names. */
export function tierRows(lang: Locale): { tier: number; name: string; points: string; perks: string[] }[] {
  return TIERS.map((t) => ({
    tier: t.tier,
    name: t.name[lang],
    points: formatPoints(t.thresholdTenths),
    perks: perksOf(t.perks).map((p) => PERK_NAMES[p][lang]),
  }));
}

/** Progress (0–100) from the tier's threshold to the next one; 100 at the top tier. */
export function progressToNext(totalTenths: number, tierCode: number): number {
  const here = TIERS[tierCode];
  const next = TIERS[tierCode + 1];
  if (!here || !next) return 100;
  const from = Number(here.thresholdTenths);
  const span = Number(next.thresholdTenths) - from;
  return Math.max(0, Math.min(100, Math.floor(((totalTenths - from) / span) * 100)));
}

export { formatPoints };
