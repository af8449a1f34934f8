// Refused requests must change nothing: a test takes a snapshot of the tables concerned before and
// after, and compares the two.

/** The results of the given reads as one string, equal for two snapshots exactly when no row changed. */
export async function snapshotOf(...reads: Promise<unknown>[]): Promise<string> {
  return JSON.stringify(await Promise.all(reads), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
