import { formatPoints, PERK_NAMES, perksOf, TIERS } from "@yyl/sdk";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { RecordPoints } from "../generated/prisma/client.ts";
import { txHashesOf } from "../hospitals/tx-hashes.ts";

// Contribution points (积分激励) as the API shows them: points in tenths (the chain's unit) and as a
// decimal string, tiers and perks with their Chinese and English names from the sdk's one table.

const TierSchema = z
  .object({ code: z.number().int(), zh: z.string(), en: z.string(), thresholdTenths: z.number().int() })
  .meta({ id: "PointsTier" });
const PerkSchema = z.object({ key: z.string(), zh: z.string(), en: z.string() }).meta({ id: "PointsPerk" });

export const PatientPointsSchema = z
  .object({
    patient: z.string(),
    totalTenths: z.number().int().meta({ description: "Total points in tenths, as on chain" }),
    points: z.string().meta({ description: 'Total points as a decimal, e.g. "16.4"' }),
    tier: TierSchema,
    nextTier: TierSchema.extend({ missingTenths: z.number().int() }).nullable(),
    perks: z.array(PerkSchema),
    settledRecords: z.number().int(),
  })
  .meta({ id: "PatientPoints" });

export const RecordPointsSchema = z
  .object({
    recordId: z.string(),
    patient: z.string(),
    share: z.number().int().meta({ description: "ConsentManager.shareOf at settlement" }),
    valueLevel: z.number().int().meta({ description: "0 = unrated" }),
    rarityLevel: z.number().int().meta({ description: "0 = unrated" }),
    pointsTenths: z
      .number()
      .int()
      .meta({ description: "3·share + 4·VALUE[value] + 3·RARITY[rarity]; 0 when not shared" }),
    points: z.string(),
    settledAt: z.number(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "RecordPoints" });

export const RatingSchema = z
  .object({
    recordId: z.string(),
    hospital: z.string(),
    valueLevel: z.number().int(),
    rarityLevel: z.number().int(),
    ratedAt: z.number(),
    txHash: z.string(),
  })
  .meta({ id: "RecordRating" });

const tierView = (t: (typeof TIERS)[number]) => ({
  code: t.tier,
  zh: t.name["zh-CN"],
  en: t.name["en-US"],
  thresholdTenths: Number(t.thresholdTenths),
});

export async function patientPointsView(
  ctx: AppContext,
  patient: string,
): Promise<z.infer<typeof PatientPointsSchema>> {
  const [row, settledRecords] = await Promise.all([
    ctx.prisma.patientPoints.findUnique({ where: { patient } }),
    ctx.prisma.recordPoints.count({ where: { patient } }),
  ]);
  const total = row?.totalTenths ?? 0n;
  const tier = TIERS[row?.tier ?? 0]!;
  const next = TIERS[tier.tier + 1];
  return {
    patient,
    totalTenths: Number(total),
    points: formatPoints(total),
    tier: tierView(tier),
    nextTier: next ? { ...tierView(next), missingTenths: Number(next.thresholdTenths - total) } : null,
    perks: perksOf(tier.perks).map((key) => ({
      key,
      zh: PERK_NAMES[key]["zh-CN"],
      en: PERK_NAMES[key]["en-US"],
    })),
    settledRecords,
  };
}

export async function recordPointsViews(
  ctx: AppContext,
  rows: RecordPoints[],
): Promise<z.infer<typeof RecordPointsSchema>[]> {
  const txHashOf = await txHashesOf(ctx, rows);
  return rows.map((r) => ({
    recordId: r.recordId,
    patient: r.patient,
    share: r.share,
    valueLevel: r.valueLevel,
    rarityLevel: r.rarityLevel,
    pointsTenths: Number(r.pointsTenths),
    points: formatPoints(r.pointsTenths),
    settledAt: Number(r.settledAt),
    txHash: txHashOf(r),
  }));
}
