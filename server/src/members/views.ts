import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Member, MemberProfile } from "../generated/prisma/client.ts";
import { ROLE_CODES, ROLE_NAMES, STATUS_NAMES } from "./codes.ts";

export const MemberSchema = z
  .object({
    address: z.string(),
    role: z.enum(["patient", "doctor", "hospital"]),
    status: z.enum(["awaiting-hospital", "pending", "approved", "rejected", "revoked"]),
    name: z.string().nullable(),
    hospital: z.string().nullable(),
    hospitalName: z.string().nullable(),
    operator: z.string().nullable(),
    profileHash: z.string(),
    appliedAt: z.number().nullable(),
    decidedAt: z.number().nullable(),
    txHash: z.string().nullable(),
  })
  .meta({ id: "Member" });
export type MemberView = z.infer<typeof MemberSchema>;

/** Joins a membership as the chain has it with the applicant's off-chain profile. A doctor's signed
 *  application that its hospital has not put on chain yet exists only as a profile. */
export function memberView(
  m: Member | null,
  p: MemberProfile | null,
  hospitalName: string | null,
): MemberView | null {
  if (!m && !p) return null;
  // Without a row on chain only a doctor's application that its hospital has not relayed yet is alive;
  // any other profile belongs to a chain that was reset or redeployed, and its owner may apply again.
  if (!m && (p!.role !== ROLE_CODES.doctor || p!.relayedAt !== null)) return null;
  return {
    address: (m?.address ?? p?.address)!,
    role: ROLE_NAMES[(m?.role ?? p?.role)!]!,
    status: (m ? STATUS_NAMES[m.status] : "awaiting-hospital") as MemberView["status"],
    name: p?.name ?? null,
    hospital: m?.hospital ?? p?.hospital ?? null,
    hospitalName,
    operator: m?.operator ?? null,
    profileHash: (m?.profileHash ?? p?.profileHash)!,
    appliedAt: m ? Number(m.appliedAt) : Number(p!.submittedAt),
    decidedAt: m?.decidedAt != null ? Number(m.decidedAt) : null,
    txHash: m?.txHash ?? p?.txHash ?? null,
  };
}

/** Display names for a set of addresses, from the applicants' profiles. */
export async function namesOf(
  ctx: AppContext,
  addresses: (string | null | undefined)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(addresses.filter((a): a is string => !!a))];
  if (!wanted.length) return new Map();
  const rows = await ctx.prisma.memberProfile.findMany({
    where: { address: { in: wanted } },
    select: { address: true, name: true },
  });
  return new Map(rows.map((r) => [r.address, r.name]));
}

export async function toMemberView(ctx: AppContext, address: string): Promise<MemberView | null> {
  const [m, p] = await Promise.all([
    ctx.prisma.member.findUnique({ where: { address } }),
    ctx.prisma.memberProfile.findUnique({ where: { address } }),
  ]);
  const hospital = m?.hospital ?? p?.hospital;
  const names = await namesOf(ctx, [hospital]);
  return memberView(m, p, hospital ? (names.get(hospital) ?? null) : null);
}
