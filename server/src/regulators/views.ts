import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Regulator } from "../generated/prisma/client.ts";
import { ROLE_NAMES } from "../members/codes.ts";

export const REGULATOR_KINDS = ["health-authority", "court", "insurer", "other"] as const;
export const JURISDICTIONS = ["national", "provincial", "city"] as const;

export const RegulatorSchema = z
  .object({
    address: z.string(),
    name: z.string(),
    organization: z.string(),
    kind: z.enum(REGULATOR_KINDS),
    jurisdiction: z.enum(JURISDICTIONS),
    region: z.string().nullable(),
    active: z.boolean(),
    addedBy: z.string(),
    addedAt: z.number(),
    revokedAt: z.number().nullable(),
    revokedBy: z.string().nullable(),
  })
  .meta({ id: "Regulator" });
export type RegulatorView = z.infer<typeof RegulatorSchema>;

export function regulatorView(r: Regulator): RegulatorView {
  return {
    address: r.address,
    name: r.name,
    organization: r.organization,
    kind: r.kind as RegulatorView["kind"],
    jurisdiction: r.jurisdiction as RegulatorView["jurisdiction"],
    region: r.region,
    active: r.revokedAt === null,
    addedBy: r.addedBy,
    addedAt: Number(r.addedAt),
    revokedAt: r.revokedAt === null ? null : Number(r.revokedAt),
    revokedBy: r.revokedBy,
  };
}

export const PARTY_KINDS = ["hospital", "doctor", "patient", "regulator", "other"] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface Party {
  name: string | null;
  kind: PartyKind;
}

/**
 * Who an address is, for audit views: a member of the alliance (by its role on chain, named by its
 * profile) or a regulator (named by its admission, active or not). Unknown addresses are "other".
 */
export async function partiesOf(
  ctx: AppContext,
  addresses: (string | null | undefined)[],
): Promise<Map<string, Party>> {
  const wanted = [...new Set(addresses.filter((a): a is string => !!a))];
  if (!wanted.length) return new Map();
  const [members, profiles, regulators] = await Promise.all([
    ctx.prisma.member.findMany({ where: { address: { in: wanted } }, select: { address: true, role: true } }),
    ctx.prisma.memberProfile.findMany({
      where: { address: { in: wanted } },
      select: { address: true, name: true },
    }),
    ctx.prisma.regulator.findMany({
      where: { address: { in: wanted } },
      select: { address: true, name: true },
    }),
  ]);
  const out = new Map<string, Party>(wanted.map((a) => [a, { name: null, kind: "other" }]));
  for (const p of profiles) out.get(p.address)!.name = p.name;
  for (const m of members)
    out.get(m.address)!.kind = (ROLE_NAMES[m.role] as PartyKind | undefined) ?? "other";
  for (const r of regulators) out.set(r.address, { name: r.name, kind: "regulator" });
  return out;
}
