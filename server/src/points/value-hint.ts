import { entropyHint, type Access } from "../analytics/entropy.ts";
import type { AppContext } from "../context.ts";
import type { EmrRecord } from "../generated/prisma/client.ts";
import { namesOf } from "../members/views.ts";
import { ROLE_CODES } from "../members/codes.ts";

// The entropy hint beside a hospital's rating of a record (seed 000 信息熵, docs/analytics.md): how
// evenly the alliance's institutions used the record, from the reads the chain granted.
//
// Which reads count:
// - granted AccessRequested events mirrored in AccessRequest: each is a read the patient's consent
//   allowed, decided on chain at that moment. Refused requests are not a use of the data.
// - the institution of a read is a hospital itself, or a doctor's hospital (Member.hospital).
//   Patients, guardians and regulators are not institutions: their reads are left out of the
//   distribution and reported as `otherAccesses`.
// - the record's writing hospital counts like any other institution when the chain granted its read
//   (its other departments reading under the patient's grant use the data as much as anyone). The
//   attending doctor's own reads never reach the chain (they are decided by relation): writing a
//   record is not a use of it, so they do not count.
// - break-glass (emergency) reads are left out: they happen without the patient's consent and say
//   that a patient was in danger, not that the data is valuable to the alliance.

export const DAY_MS = 86_400_000;
/** At most this many windows in the trend; older reads still count in the totals. */
export const MAX_WINDOWS = 24;

export type ExplanationKey =
  | "noAccesses"
  | "oneInstitution"
  | "fewInstitutions"
  | "manyInstitutions"
  | "spreading"
  | "narrowing"
  | "steady"
  | "otherAccessesLeftOut";

export interface InstitutionAccesses {
  institution: string;
  name: string | null;
  accesses: number;
}

export interface TrendWindow {
  from: number;
  to: number;
  accesses: number;
  entropyBits: number;
  suggestedLevel: 1 | 2 | 3;
}

export interface ValueHint {
  recordId: string;
  institutions: InstitutionAccesses[];
  accesses: number;
  otherAccesses: number;
  entropyBits: number;
  effectiveInstitutions: number;
  suggestedLevel: 1 | 2 | 3;
  explanation: ExplanationKey[];
  windowDays: number;
  overTime: TrendWindow[];
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The windows of `windowMs` ending at `now`, oldest first, back to the one holding the first read (at
 * most MAX_WINDOWS). A read a little after `now` (block times may lead the server's clock by a few ms)
 * falls in the last window.
 */
export function trendOf(accesses: readonly Access[], now: number, windowMs: number): TrendWindow[] {
  if (!accesses.length) return [];
  const back = (a: Access) => Math.max(0, Math.floor((now - a.at) / windowMs));
  const oldest = accesses.reduce((m, a) => Math.max(m, back(a)), 0); // no spread: a record may have many reads
  const count = Math.min(MAX_WINDOWS, oldest + 1);
  return Array.from({ length: count }, (_, i) => {
    const k = count - 1 - i; // windows back from now
    const inWindow = accesses.filter((a) => back(a) === k);
    const h = entropyHint(inWindow);
    return {
      from: now - (k + 1) * windowMs,
      to: now - k * windowMs,
      accesses: inWindow.length,
      entropyBits: round(h.bits, 3),
      suggestedLevel: h.suggestedLevel,
    };
  });
}

/** Plain-word reasons for the hint, as keys the portal translates. */
export function explanationOf(
  institutions: number,
  level: 1 | 2 | 3,
  overTime: TrendWindow[],
  otherAccesses: number,
): ExplanationKey[] {
  const keys: ExplanationKey[] = [];
  if (institutions === 0) keys.push("noAccesses");
  else keys.push(level === 1 ? "oneInstitution" : level === 2 ? "fewInstitutions" : "manyInstitutions");
  // The trend compares the last two windows in which the record was read.
  const used = overTime.filter((w) => w.accesses > 0);
  if (used.length >= 2) {
    const [before, last] = [used[used.length - 2]!.entropyBits, used[used.length - 1]!.entropyBits];
    keys.push(last > before ? "spreading" : last < before ? "narrowing" : "steady");
  }
  if (otherAccesses > 0) keys.push("otherAccessesLeftOut");
  return keys;
}

/** The granted reads of the record by institutions, and how many granted reads by others were left out. */
export async function institutionAccessesOf(
  ctx: AppContext,
  record: Pick<EmrRecord, "recordId">,
): Promise<{ accesses: Access[]; otherAccesses: number }> {
  const reads = await ctx.prisma.accessRequest.findMany({
    where: { recordId: record.recordId, granted: true },
    select: { requester: true, at: true },
  });
  const members = await ctx.prisma.member.findMany({
    where: { address: { in: [...new Set(reads.map((r) => r.requester))] } },
    select: { address: true, role: true, hospital: true },
  });
  const institutionOf = new Map<string, string>();
  for (const m of members) {
    if (m.role === ROLE_CODES.hospital) institutionOf.set(m.address, m.address);
    else if (m.role === ROLE_CODES.doctor && m.hospital) institutionOf.set(m.address, m.hospital);
  }
  const accesses: Access[] = [];
  let otherAccesses = 0;
  for (const r of reads) {
    const institution = institutionOf.get(r.requester);
    if (institution) accesses.push({ institution, at: Number(r.at) });
    else otherAccesses++;
  }
  return { accesses, otherAccesses };
}

/** The hint for one record over all its reads, with the trend in windows of `windowDays`. */
export async function valueHintOf(
  ctx: AppContext,
  record: Pick<EmrRecord, "recordId">,
  windowDays: number,
  now = Date.now(),
): Promise<ValueHint> {
  const { accesses, otherAccesses } = await institutionAccessesOf(ctx, record);
  const hint = entropyHint(accesses);
  const counts = new Map<string, number>();
  for (const a of accesses) counts.set(a.institution, (counts.get(a.institution) ?? 0) + 1);
  const names = await namesOf(ctx, [...counts.keys()]);
  const institutions = [...counts]
    .map(([institution, n]) => ({ institution, name: names.get(institution) ?? null, accesses: n }))
    .sort((a, b) => b.accesses - a.accesses || a.institution.localeCompare(b.institution));
  const overTime = trendOf(accesses, now, windowDays * DAY_MS);
  return {
    recordId: record.recordId,
    institutions,
    accesses: accesses.length,
    otherAccesses,
    entropyBits: round(hint.bits, 3),
    effectiveInstitutions: round(hint.effectiveInstitutions, 2),
    suggestedLevel: hint.suggestedLevel,
    explanation: explanationOf(institutions.length, hint.suggestedLevel, overTime, otherAccesses),
    windowDays,
    overTime,
  };
}
