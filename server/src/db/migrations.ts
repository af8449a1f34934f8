import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import mysql from "mysql2/promise";

// Applies the hand-written SQL migrations in Prisma's folder layout (prisma/migrations/<name>/migration.sql)
// and records them in `_prisma_migrations` with Prisma's own columns, so `prisma migrate deploy` can take
// over wherever Prisma's native schema engine is available. The engine cannot be downloaded here.

export interface AppliedMigration {
  name: string;
  checksum: string;
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3) NULL,
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT NULL,
  rolled_back_at DATETIME(3) NULL,
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4`;

export async function listMigrations(dir: string): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** Applies every pending migration in order; refuses to run if an applied one was edited afterwards. */
export async function applyMigrations(databaseUrl: string, dir: string): Promise<AppliedMigration[]> {
  const conn = await mysql.createConnection({ uri: databaseUrl, multipleStatements: true });
  try {
    // Two processes starting together must not apply the same migration twice.
    const [[lock]] = (await conn.query("SELECT GET_LOCK('yyl_migrations', 60) AS ok")) as unknown as [
      [{ ok: number }],
    ];
    if (lock?.ok !== 1) throw new Error("could not take the migration lock within 60 s");
    await conn.query(HISTORY_TABLE);
    const [rows] = (await conn.query(
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL",
    )) as unknown as [{ migration_name: string; checksum: string; finished_at: Date | null }[]];
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    const done: AppliedMigration[] = [];
    for (const m of await listMigrations(dir)) {
      const previous = applied.get(m.name);
      if (previous) {
        if (!previous.finished_at) {
          throw new Error(`migration ${m.name} started earlier but never finished: repair the database by hand`);
        }
        if (previous.checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was changed after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      await conn.query("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)", [
        id,
        m.checksum,
        m.name,
      ]);
      try {
        await conn.query(m.sql);
      } catch (err) {
        await conn.query("UPDATE _prisma_migrations SET logs = ? WHERE id = ?", [String(err), id]);
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      await conn.query(
        "UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?",
        [id],
      );
      done.push({ name: m.name, checksum: m.checksum });
    }
    await conn.query("SELECT RELEASE_LOCK('yyl_migrations')");
    return done;
  } finally {
    await conn.end();
  }
}
