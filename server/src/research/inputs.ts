import { z } from "zod";

// The inputs of a project's Shapley allocation: the characteristic function table, as the admin commits
// it. The chain keeps keccak256 of its canonical JSON, so the server checks its shape but never alters
// it (no normalized addresses, no dropped keys): the text kept is exactly what was hashed and signed.
//
//   { "players": ["0xA…", "0xB…"], "values": { "": 0, "0xa…": 10, "0xa…,0xb…": 30, … } }
//
// A key of `values` is a coalition: its players comma-joined, in ascending order when compared in lower
// case ("" is the empty coalition). Each value is a finite number.

/** Coalitions grow as 2^players; a table beyond this many players is not a research project's. */
export const MAX_PLAYERS = 12;

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function checkTable(table: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  const players = table.players;
  if (!Array.isArray(players) || players.length === 0)
    return issue(["players"], "must be a non-empty array of addresses");
  if (players.length > MAX_PLAYERS) return issue(["players"], `at most ${MAX_PLAYERS} players`);
  const seen = new Set<string>();
  players.forEach((p, i) => {
    if (typeof p !== "string" || !HEX_ADDRESS.test(p))
      return issue(["players", i], "must be a 0x-prefixed 20-byte hex address");
    if (seen.has(p.toLowerCase())) return issue(["players", i], "appears twice");
    seen.add(p.toLowerCase());
  });
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
export const InputsTable = z.record(z.string(), z.unknown()).superRefine(checkTable).meta({
  description:
    'The characteristic function table: `{"players": [address…], "values": {"<a coalition: its players comma-joined, ascending (case-insensitive)>": number}}`',
});

/** The players of a well-formed table, lower-case. */
export const playersOf = (table: Record<string, unknown>) =>
  (table.players as string[]).map((p) => p.toLowerCase());
