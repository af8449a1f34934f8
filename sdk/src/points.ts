/**
 * The contribution-points rule and tier table of 医元疗 (DESIGN §6, docs/contracts.md ContributionPoints) —
 * the one TypeScript copy, mirroring contracts/src/ContributionPoints.sol exactly.
 *
 * Points per shared record = 0.3·share + 0.4·value + 0.3·rarity, kept in tenths (integers):
 * `3·share + 4·VALUE[v] + 3·RARITY[r]`. share = Σ over distinct grantees with an active grant covering the
 * record (level 1 → 1, level 2 → 2), from `ConsentManager.shareOf`. A record with share 0 is not shared
 * and earns 0; an unrated record (levels 0) counts value and rarity as 0.
 */

export type Locale = "zh-CN" | "en-US";
export type Localized = Readonly<Record<Locale, string>>;

/** Value level → value score (level 0 = unrated → 0). */
export const VALUE = { 1: 5, 2: 20, 3: 30 } as const;
/** Rarity level → rarity score (level 0 = unrated → 0). */
export const RARITY = { 1: 5, 2: 15, 3: 25 } as const;
/** Weights in tenths: 0.3 share, 0.4 value, 0.3 rarity. */
export const WEIGHT_TENTHS = { share: 3, value: 4, rarity: 3 } as const;

export type Level = 1 | 2 | 3;

/** Perk bits. */
export const PERK = { queuePriority: 1, appointment: 2, drugPurchase: 4, reimbursement: 8 } as const;
export type PerkName = keyof typeof PERK;

/** Perk names (seed 000: 排队就诊、预约挂号、购买药物、报销). */
export const PERK_NAMES: Readonly<Record<PerkName, Localized>> = {
  queuePriority: { "zh-CN": "优先排队就诊", "en-US": "Queue priority" },
  appointment: { "zh-CN": "预约挂号", "en-US": "Appointment booking" },
  drugPurchase: { "zh-CN": "购药优惠", "en-US": "Drug purchase" },
  reimbursement: { "zh-CN": "医保报销", "en-US": "Reimbursement" },
};

export interface Tier {
  tier: 0 | 1 | 2 | 3;
  /** Lowest total (tenths) of the tier. */
  thresholdTenths: bigint;
  /** Perk bit mask. */
  perks: number;
  name: Localized;
}

/** The tier table, ascending (tier 0 普通 from 0, 1 银 from 1000 tenths, 2 金 from 5000, 3 钻石 from 20000). */
export const TIERS: readonly Tier[] = [
  { tier: 0, thresholdTenths: 0n, perks: 0, name: { "zh-CN": "普通", "en-US": "Standard" } },
  { tier: 1, thresholdTenths: 1000n, perks: PERK.queuePriority, name: { "zh-CN": "银", "en-US": "Silver" } },
  {
    tier: 2,
    thresholdTenths: 5000n,
    perks: PERK.queuePriority | PERK.appointment,
    name: { "zh-CN": "金", "en-US": "Gold" },
  },
  {
    tier: 3,
    thresholdTenths: 20000n,
    perks: PERK.queuePriority | PERK.appointment | PERK.drugPurchase | PERK.reimbursement,
    name: { "zh-CN": "钻石", "en-US": "Diamond" },
  },
];

function level(v: number, what: string): 0 | Level {
  if (v !== 0 && v !== 1 && v !== 2 && v !== 3)
    throw new RangeError(`${what}: level must be 0 (unrated) or 1–3, got ${v}`);
  return v;
}

function nonNegative(v: bigint | number, what: string): bigint {
  if (typeof v === "number" && !Number.isSafeInteger(v))
    throw new RangeError(`${what}: not an integer: ${v}`);
  const b = BigInt(v);
  if (b < 0n) throw new RangeError(`${what}: negative: ${v}`);
  return b;
}

/**
 * A record's points in tenths: 3·share + 4·VALUE[valueLevel] + 3·RARITY[rarityLevel], 0 when share is 0.
 * Levels are 1–3, or 0 for an unrated record. Example: share 3, value 2, rarity 3 → 9 + 80 + 75 = 164
 * (16.4 points).
 */
export function pointsTenths(share: bigint | number, valueLevel: number, rarityLevel: number): bigint {
  const s = nonNegative(share, "share");
  const v = level(valueLevel, "valueLevel");
  const r = level(rarityLevel, "rarityLevel");
  if (s === 0n) return 0n;
  const value = v === 0 ? 0 : VALUE[v];
  const rarity = r === 0 ? 0 : RARITY[r];
  return (
    BigInt(WEIGHT_TENTHS.share) * s + BigInt(WEIGHT_TENTHS.value * value + WEIGHT_TENTHS.rarity * rarity)
  );
}

/** The tier a total (tenths) reaches: the highest whose threshold is ≤ the total. */
export function tierOf(totalTenths: bigint | number): Tier {
  const t = nonNegative(totalTenths, "totalTenths");
  let found = TIERS[0]!;
  for (const tier of TIERS) if (t >= tier.thresholdTenths) found = tier;
  return found;
}

/** The perk names in a bit mask, in bit order. */
export function perksOf(mask: number): PerkName[] {
  return (Object.keys(PERK) as PerkName[]).filter((k) => (mask & PERK[k]) !== 0);
}

/** Tenths as a decimal string: 164n → "16.4", 1000n → "100.0". */
export function formatPoints(tenths: bigint | number): string {
  const t = nonNegative(tenths, "tenths");
  return `${t / 10n}.${t % 10n}`;
}
