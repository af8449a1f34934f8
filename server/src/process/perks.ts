import { PERK, perksOf, TIERS, type PerkName } from "@yyl/sdk";
import type { AppContext } from "../context.ts";

// Where a patient's tier means something in the care process (DESIGN §6, issue 7): the queue
// (queuePriority puts their open visits first) and payment (step 5 may claim reimbursement only
// when the tier carries that perk). The tier is the chain's, "as of now", from the indexer's
// PatientPoints mirror of ContributionPoints (as the points view reads it); a patient with no row has
// never been credited: tier 0, no perks.

export interface PatientPerks {
  tier: 0 | 1 | 2 | 3;
  perks: PerkName[];
}

const NONE: PatientPerks = { tier: 0, perks: [] };

function perksOfTier(code: number): PatientPerks {
  const tier = TIERS[code]!;
  return { tier: tier.tier, perks: perksOf(tier.perks) };
}

/** The tier and perks of each of `patients` now (every patient asked for has an entry). */
export async function perksByPatient(
  ctx: AppContext,
  patients: string[],
): Promise<Map<string, PatientPerks>> {
  const unique = [...new Set(patients)];
  const rows = unique.length
    ? await ctx.prisma.patientPoints.findMany({
        where: { patient: { in: unique } },
        select: { patient: true, tier: true },
      })
    : [];
  const found = new Map(rows.map((r) => [r.patient, perksOfTier(r.tier)]));
  return new Map(unique.map((p) => [p, found.get(p) ?? NONE]));
}

export async function perksOfPatient(ctx: AppContext, patient: string): Promise<PatientPerks> {
  return (await perksByPatient(ctx, [patient])).get(patient)!;
}

/**
 * The lowest tier that carries `perk`. Tiers only add perks as they rise, so "has the perk" is the
 * same as "tier ≥ this", a condition SQL can test on PatientPoints.
 */
function lowestTierWith(perk: PerkName): number {
  const tier = TIERS.find((t) => (t.perks & PERK[perk]) !== 0);
  if (!tier) throw new Error(`no tier carries ${perk}`);
  return tier.tier;
}

/** The patients whose tier carries queue priority now. */
export async function queuePriorityPatients(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.prisma.patientPoints.findMany({
    where: { tier: { gte: lowestTierWith("queuePriority") } },
    select: { patient: true },
  });
  return rows.map((r) => r.patient);
}
