import { RARITY, VALUE, WEIGHT_TENTHS } from "@yyl/sdk";
import type { AppContext } from "../context.ts";
import { statusWhere } from "../consent/grants.ts";
import type { Prisma, RecordRating } from "../generated/prisma/client.ts";
import { ROLE_CODES } from "../members/codes.ts";
import { LEVEL_RESEARCH } from "./exports.ts";

// What each member hospital brings to a research project, read from the chain mirror: the records it
// (or one of its doctors) holds an active level-2 (research) grant on, by record or category scope;
// deleted records excluded. A record weighs what the points rule gives its value and rarity
// (4·VALUE + 3·RARITY tenths, sdk/src/points.ts) by its latest rating, as ContributionPoints settles
// it; a record no one has rated yet is still data and counts at level 1 (35 tenths).

export const UNRATED_LEVEL = 1;

/** The records form of a project's inputs (inputs.ts), ready to commit. */
export interface RecordInputs {
  model: "records";
  players: string[];
  groups: RecordGroup[];
}

/** The records brought by exactly these members, and their total weight. */
export interface RecordGroup {
  members: string[];
  records: number;
  weight: number;
}

export const recordWeight = (valueLevel: number, rarityLevel: number) =>
  WEIGHT_TENTHS.value * VALUE[(valueLevel || UNRATED_LEVEL) as 1 | 2 | 3] +
  WEIGHT_TENTHS.rarity * RARITY[(rarityLevel || UNRATED_LEVEL) as 1 | 2 | 3];

/** The latest rating of each record (the one ContributionPoints settles with). */
function latestRatings(rows: RecordRating[]): Map<string, RecordRating> {
  const latest = new Map<string, RecordRating>();
  const later = (a: RecordRating, b: RecordRating) =>
    a.ratedAt !== b.ratedAt
      ? a.ratedAt > b.ratedAt
      : a.blockNumber !== b.blockNumber
        ? a.blockNumber > b.blockNumber
        : a.logIndex > b.logIndex;
  for (const r of rows) {
    const seen = latest.get(r.recordId);
    if (!seen || later(r, seen)) latest.set(r.recordId, r);
  }
  return latest;
}

export async function contributionsOf(ctx: AppContext, projectId: string): Promise<RecordInputs> {
  const { prisma } = ctx;
  const players = (
    await prisma.researchAllocationRow.findMany({ where: { projectId }, orderBy: { hospital: "asc" } })
  ).map((r) => r.hospital);
  const doctors = await prisma.member.findMany({
    where: { role: ROLE_CODES.doctor, hospital: { in: players } },
    select: { address: true, hospital: true },
  });
  const hospitalOf = new Map<string, string>([
    ...players.map((p) => [p, p] as const),
    ...doctors.map((d) => [d.address, d.hospital!] as const),
  ]);
  const grants = await prisma.consentGrant.findMany({
    where: {
      grantee: { in: [...hospitalOf.keys()] },
      level: { gte: LEVEL_RESEARCH },
      ...statusWhere("active"),
    },
    select: { patient: true, grantee: true, scope: true, scopeKind: true },
  });

  const bringers = new Map<string, Set<string>>(); // record → member hospitals
  const bring = (recordId: string, grantee: string) => {
    const set = bringers.get(recordId) ?? new Set<string>();
    set.add(hospitalOf.get(grantee)!);
    bringers.set(recordId, set);
  };
  const scopes: Prisma.EmrRecordWhereInput[] = grants.map((g) =>
    g.scopeKind === 1 ? { recordId: g.scope } : { patient: g.patient, category: g.scope },
  );
  const records = scopes.length
    ? await prisma.emrRecord.findMany({
        where: { deleted: false, OR: scopes },
        select: { recordId: true, patient: true, category: true },
      })
    : [];
  // Each grant's records by its scope, looked up rather than compared with every record.
  const byScope = new Map<string, string[]>(); // "record:<id>" or "<patient>:<category>" → record ids
  const add = (key: string, recordId: string) => {
    const list = byScope.get(key);
    if (list) list.push(recordId);
    else byScope.set(key, [recordId]);
  };
  for (const r of records) {
    add(`record:${r.recordId}`, r.recordId);
    if (r.category) add(`${r.patient}:${r.category}`, r.recordId);
  }
  for (const g of grants)
    for (const recordId of byScope.get(g.scopeKind === 1 ? `record:${g.scope}` : `${g.patient}:${g.scope}`) ??
      [])
      bring(recordId, g.grantee);

  const ratings = latestRatings(
    await prisma.recordRating.findMany({ where: { recordId: { in: [...bringers.keys()] } } }),
  );
  const groups = new Map<string, RecordGroup>(); // by the members' indexes, comma-joined
  for (const [recordId, members] of bringers) {
    const rating = ratings.get(recordId);
    const ordered = players.filter((p) => members.has(p));
    const key = ordered.map((p) => players.indexOf(p)).join(",");
    const group = groups.get(key) ?? { members: ordered, records: 0, weight: 0 };
    group.records += 1;
    group.weight += recordWeight(rating?.valueLevel ?? 0, rating?.rarityLevel ?? 0);
    groups.set(key, group);
  }
  // A fixed order (by the members' positions among the players), so the same chain gives the same text.
  const ordered = [...groups.entries()].sort(([a], [b]) => compareIndexLists(a, b)).map(([, g]) => g);
  return { model: "records", players, groups: ordered };
}

function compareIndexLists(a: string, b: string): number {
  const x = a.split(",").map(Number);
  const y = b.split(",").map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
