import { Prisma } from "../generated/prisma/client.ts";
import type { AppContext } from "../context.ts";
import { ROLE_CODES, STATUS_CODES, type MemberRole } from "./codes.ts";
import { memberView, namesOf, type MemberView } from "./views.ts";

// The member directory, paginated in SQL: memberships as the chain has them, together with doctors'
// signed applications that their hospital has not put on chain yet (they exist only off chain).

/** Status code standing for "awaiting-hospital" in the query below (the chain's codes start at 1). */
const AWAITING = 0;

export interface DirectoryFilter {
  role?: MemberRole;
  status?: MemberView["status"];
  hospital?: string;
  /** Name or address contains this. */
  q?: string;
  /** Only these addresses (a doctor's patients); undefined means no such limit. */
  among?: Prisma.Sql;
}

export type DirectorySort = "appliedAt:asc" | "appliedAt:desc" | "name:asc" | "name:desc";

function conditions(f: DirectoryFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.role) parts.push(Prisma.sql`role = ${ROLE_CODES[f.role]}`);
  if (f.hospital) parts.push(Prisma.sql`hospital = ${f.hospital}`);
  if (f.status)
    parts.push(Prisma.sql`status = ${f.status === "awaiting-hospital" ? AWAITING : STATUS_CODES[f.status]!}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`(name LIKE ${like} OR address LIKE ${like})`);
  }
  if (f.among) parts.push(Prisma.sql`address IN (${f.among})`);
  return Prisma.join(parts, " AND ");
}

const ORDER: Record<DirectorySort, Prisma.Sql> = {
  "appliedAt:asc": Prisma.sql`applied ASC, address ASC`,
  "appliedAt:desc": Prisma.sql`applied DESC, address DESC`,
  "name:asc": Prisma.sql`name ASC, address ASC`,
  "name:desc": Prisma.sql`name DESC, address DESC`,
};

/** Every membership and every doctor's application awaiting its hospital, as one table. */
const DIRECTORY = Prisma.sql`
  SELECT m.address, m.role, m.hospital, m.status, m.applied_at AS applied, COALESCE(p.name, '') AS name
    FROM members m LEFT JOIN member_profiles p ON p.address = m.address
  UNION ALL
  SELECT p.address, p.role, p.hospital, ${AWAITING}, p.submitted_at, p.name
    FROM member_profiles p LEFT JOIN members m ON m.address = p.address
   WHERE m.address IS NULL AND p.role = ${ROLE_CODES.doctor} AND p.relayed_at IS NULL`;

export async function listDirectory(
  ctx: AppContext,
  f: DirectoryFilter,
  page: { page: number; pageSize: number; sort: DirectorySort },
): Promise<{ items: MemberView[]; page: number; pageSize: number; total: number }> {
  const { prisma } = ctx;
  const where = conditions(f);
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<{ address: string }[]>`
      SELECT address FROM (${DIRECTORY}) d WHERE ${where}
      ORDER BY ${ORDER[page.sort]} LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    prisma.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM (${DIRECTORY}) d WHERE ${where}`,
  ]);
  const addresses = rows.map((r) => r.address);
  const [members, profiles] = await Promise.all([
    prisma.member.findMany({ where: { address: { in: addresses } } }),
    prisma.memberProfile.findMany({ where: { address: { in: addresses } } }),
  ]);
  const memberOf = new Map(members.map((m) => [m.address, m]));
  const profileOf = new Map(profiles.map((p) => [p.address, p]));
  const names = await namesOf(ctx, [...members.map((m) => m.hospital), ...profiles.map((p) => p.hospital)]);
  const items = addresses.flatMap((a) => {
    const m = memberOf.get(a) ?? null;
    const p = profileOf.get(a) ?? null;
    const hospital = m?.hospital ?? p?.hospital;
    const view = memberView(m, p, hospital ? (names.get(hospital) ?? null) : null);
    return view ? [view] : [];
  });
  return { items, page: page.page, pageSize: page.pageSize, total: Number(counted[0]?.n ?? 0) };
}

/**
 * The patients a doctor has to do with: those whose records they signed, who granted them or their
 * hospital access (grant still active), or who have a visit at their hospital. A doctor does not see
 * the alliance's other patients; one who has none of these with a patient looks them up by address.
 */
export function patientsOfDoctor(doctor: string, hospital: string | null, now: number): Prisma.Sql {
  const grantees = hospital ? [doctor, hospital] : [doctor];
  return Prisma.sql`
    SELECT r.patient FROM emr_records r JOIN emr_record_versions v ON v.record_id = r.record_id WHERE v.doctor = ${doctor}
    UNION SELECT patient FROM consent_grants WHERE grantee IN (${Prisma.join(grantees)}) AND revoked = FALSE AND expires_at > ${now}
    UNION SELECT patient FROM visits WHERE hospital = ${hospital ?? ""}`;
}
