import { z } from "zod";

// The inputs of a project's Shapley allocation, as the admin commits them. The chain keeps keccak256 of
// their canonical JSON, so the server checks their shape but never alters them (no normalized
// addresses, no dropped keys): the text kept is exactly what was hashed and signed. Two forms:
//
// A characteristic function table:
//   { "players": ["0xA…", "0xB…"], "values": { "": 0, "0xa…": 10, "0xa…,0xb…": 30, … } }
// A key of `values` is a coalition: its players comma-joined, in ascending order when compared in lower
// case ("" is the empty coalition). Each value is a finite number.
//
// The records the members bring (analytics/data-coalition.ts gives v from them), grouped by the exact
// set of members that bring them — all v depends on, and no record id is disclosed:
//   { "model": "records", "players": [...],
//     "groups": [{ "members": ["0xA…"], "records": 12, "weight": 420 }, …] }

/** Coalitions grow as 2^players; a table beyond this many players is not a research project's. */
export const MAX_PLAYERS = 12;
/** Players of the records form (Monte Carlo above 20). */
export const MAX_RECORD_MODEL_PLAYERS = 100;

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

type Issue = (path: (string | number)[], message: string) => void;

/** The lower-case players, or null after naming what is wrong with them. */
function checkPlayers(players: unknown, max: number, issue: Issue): Set<string> | null {
  if (!Array.isArray(players) || players.length === 0) {
    issue(["players"], "must be a non-empty array of addresses");
    return null;
  }
  if (players.length > max) {
    issue(["players"], `at most ${max} players`);
    return null;
  }
  const seen = new Set<string>();
  players.forEach((p, i) => {
    if (typeof p !== "string" || !HEX_ADDRESS.test(p))
      return issue(["players", i], "must be a 0x-prefixed 20-byte hex address");
    if (seen.has(p.toLowerCase())) return issue(["players", i], "appears twice");
    seen.add(p.toLowerCase());
  });
  return seen;
}

function checkRecordModel(table: Record<string, unknown>, issue: Issue): void {
  const seen = checkPlayers(table.players, MAX_RECORD_MODEL_PLAYERS, issue);
  if (!seen) return;
  const groups = table.groups;
  if (!Array.isArray(groups)) return issue(["groups"], "must be an array of {members, records, weight}");
  groups.forEach((raw: unknown, i) => {
    const g = raw as { members?: unknown; records?: unknown; weight?: unknown } | null;
    if (!g || typeof g !== "object") return issue(["groups", i], "must be {members, records, weight}");
    if (typeof g.weight !== "number" || !Number.isSafeInteger(g.weight) || g.weight < 0)
      issue(["groups", i, "weight"], "must be a non-negative integer");
    if (typeof g.records !== "number" || !Number.isSafeInteger(g.records) || g.records < 1)
      issue(["groups", i, "records"], "must be a positive integer");
    if (!Array.isArray(g.members) || g.members.length === 0)
      return issue(["groups", i, "members"], "must be a non-empty array of players");
    const lower = g.members.map((m: unknown) => (typeof m === "string" ? m.toLowerCase() : ""));
    if (lower.some((m) => !seen.has(m)))
      issue(["groups", i, "members"], "names an address that is not among the players");
    else if (new Set(lower).size !== lower.length) issue(["groups", i, "members"], "names a player twice");
  });
}

function checkTable(table: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: "custom", path, message });
  if (table.model !== undefined) {
    if (table.model === "records") return checkRecordModel(table, issue);
    return issue(["model"], 'must be "records" (or absent, for a table of values)');
  }
  const seen = checkPlayers(table.players, MAX_PLAYERS, issue);
  if (!seen) return;
  const values = table.values;
  if (!values || typeof values !== "object" || Array.isArray(values))
    return issue(["values"], "must be an object of coalition → number");
  for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
    if (typeof value !== "number" || !Number.isFinite(value))
      issue(["values", key], "must be a finite number");
    if (key === "") continue;
    const members = key.split(",").map((m) => m.toLowerCase());
    if (members.some((m) => !seen.has(m)))
      issue(["values", key], "names an address that is not among the players");
    else if (members.some((m, i) => i > 0 && m <= members[i - 1]!))
      issue(["values", key], "players must be distinct and in ascending order");
  }
}

/** The table as sent (unknown keys kept), checked for shape. */
export const InputsTable = z
  .record(z.string(), z.unknown())
  .superRefine(checkTable)
  .meta({
    description:
      'Either the characteristic function table: `{"players": [address…], "values": {"<a coalition: its players comma-joined, ascending (case-insensitive)>": number}}`, ' +
      'or the records the members bring: `{"model": "records", "players": [address…], "groups": [{"members": [address…], "records": count, "weight": tenths}]}` ' +
      "(GET /research/projects/{projectId}/shapley?source=chain builds it from the chain).",
  });

/** The players of a well-formed table, lower-case. */
export const playersOf = (table: Record<string, unknown>) =>
  (table.players as string[]).map((p) => p.toLowerCase());
