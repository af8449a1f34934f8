import { randomBytes } from "node:crypto";
import path from "node:path";
import mysql from "mysql2/promise";
import { applyMigrations } from "../../server/src/db/migrations.ts";
import { repoRoot } from "../../server/src/config.ts";

// Each test file gets a database of its own on the MariaDB server the test command started, so files
// never see each other's rows. TEST_DATABASE_URL names the server and an account that may create
// databases whose names start with yyl_test.

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function serverUrl(): URL {
  const raw = process.env.TEST_DATABASE_URL;
  if (!raw) throw new Error("TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts MariaDB");
  return new URL(raw);
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = serverUrl();
  const name = `yyl_test_${randomBytes(5).toString("hex")}`;
  const admin = await mysql.createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  if (opts.migrate !== false) await applyMigrations(url.toString(), path.join(repoRoot, "prisma/migrations"));
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = await mysql.createConnection({ uri: base.toString() });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
