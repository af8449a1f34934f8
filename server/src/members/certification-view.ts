import { keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Member } from "../generated/prisma/client.ts";
import { textsOf } from "../evidence/texts.ts";
import { STATUS_APPROVED } from "./codes.ts";
import { namesOf } from "./views.ts";

// A doctor's certification as the mirror has it (the latest one), with the texts behind its hashes and
// every certification and revocation the chain recorded for the doctor.

/** How many past certification events a view carries; a doctor collects a few over a career. */
const HISTORY_LIMIT = 50;

export const departmentHashOf = (department: string | null | undefined) =>
  department ? keccak256(toUtf8Bytes(department)) : ZeroHash;

const CertificationEventSchema = z.object({
  event: z.enum(["certified", "revoked"]),
  at: z.number(),
  txHash: z.string(),
  certifier: z.string(),
  credentialHash: z.string().nullable(),
  credential: z.string().nullable(),
  expiresAt: z.number().nullable(),
  reasonHash: z.string().nullable(),
  reason: z.string().nullable(),
});

export const CertificationSchema = z
  .object({
    doctor: z.string(),
    doctorName: z.string().nullable(),
    hospital: z.string().nullable(),
    hospitalName: z.string().nullable(),
    status: z.enum(["none", "valid", "expired", "revoked", "inactive"]).meta({
      description: "`inactive`: certified but the doctor or their hospital is no longer approved",
    }),
    certified: z.boolean().meta({ description: "As AllianceRegistry.isCertified would answer now" }),
    current: z
      .object({
        certifier: z.string(),
        credentialHash: z.string(),
        credential: z.string().nullable().meta({ description: "The text behind credentialHash, if known" }),
        department: z.string(),
        departmentName: z.string().nullable(),
        issuedAt: z.number(),
        expiresAt: z.number(),
        revoked: z.boolean(),
        revokeReasonHash: z.string().nullable(),
        revokeReason: z.string().nullable(),
      })
      .nullable(),
    history: z
      .array(CertificationEventSchema)
      .meta({ description: `Newest first, at most ${HISTORY_LIMIT}` }),
  })
  .meta({ id: "DoctorCertification" });
export type CertificationView = z.infer<typeof CertificationSchema>;

/** The department named in the doctor's profile, used when the hospital names none. */
export async function profileDepartmentOf(ctx: AppContext, doctor: string): Promise<string | null> {
  const p = await ctx.prisma.memberProfile.findUnique({
    where: { address: doctor },
    select: { profile: true },
  });
  const department = (p?.profile as Record<string, unknown> | null)?.department;
  return typeof department === "string" && department ? department : null;
}

export async function certificationView(ctx: AppContext, doctor: Member): Promise<CertificationView> {
  const { prisma } = ctx;
  const [cert, hospital, events, department] = await Promise.all([
    prisma.doctorCertification.findUnique({ where: { doctor: doctor.address } }),
    doctor.hospital ? prisma.member.findUnique({ where: { address: doctor.hospital } }) : null,
    prisma.chainEvent.findMany({
      where: {
        contract: "AllianceRegistry",
        name: { in: ["DoctorCertified", "CertificationRevoked"] },
        args: { path: "$.doctor", equals: doctor.address },
      },
      orderBy: [{ blockNumber: "desc" }, { logIndex: "desc" }],
      take: HISTORY_LIMIT,
    }),
    profileDepartmentOf(ctx, doctor.address),
  ]);
  const args = events.map((e) => e.args as Record<string, string>);
  const texts = await textsOf(ctx, [
    cert?.credentialHash,
    cert?.revokeReason,
    ...args.flatMap((a) => [a.credentialHash, a.reasonHash]),
  ]);
  const names = await namesOf(ctx, [doctor.address, doctor.hospital]);

  const active = doctor.status === STATUS_APPROVED && hospital?.status === STATUS_APPROVED;
  const expired = !!cert && Number(cert.expiresAt) <= Date.now();
  const status = !cert
    ? "none"
    : cert.revoked
      ? "revoked"
      : expired
        ? "expired"
        : active
          ? "valid"
          : "inactive";
  return {
    doctor: doctor.address,
    doctorName: names.get(doctor.address) ?? null,
    hospital: doctor.hospital,
    hospitalName: doctor.hospital ? (names.get(doctor.hospital) ?? null) : null,
    status,
    certified: status === "valid",
    current: cert
      ? {
          certifier: cert.certifier,
          credentialHash: cert.credentialHash,
          credential: texts.get(cert.credentialHash) ?? null,
          department: cert.department,
          departmentName: department && departmentHashOf(department) === cert.department ? department : null,
          issuedAt: Number(cert.issuedAt),
          expiresAt: Number(cert.expiresAt),
          revoked: cert.revoked,
          revokeReasonHash: cert.revokeReason,
          revokeReason: cert.revokeReason ? (texts.get(cert.revokeReason) ?? null) : null,
        }
      : null,
    history: events.map((e, i) => {
      const a = args[i]!;
      const certified = e.name === "DoctorCertified";
      return {
        event: certified ? ("certified" as const) : ("revoked" as const),
        at: Number(e.blockTime),
        txHash: e.txHash,
        certifier: a.certifier!,
        credentialHash: certified ? a.credentialHash! : null,
        credential: certified ? (texts.get(a.credentialHash!) ?? null) : null,
        expiresAt: certified ? Number(a.expiresAt) : null,
        reasonHash: certified ? null : a.reasonHash!,
        reason: certified ? null : (texts.get(a.reasonHash!) ?? null),
      };
    }),
  };
}
