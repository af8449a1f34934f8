// Applies pending database migrations: `tsx scripts/migrate.ts` with DATABASE_URL set.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../server/src/db/migrations.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (e.g. mysql://yyl:yyl@127.0.0.1:3306/yyl)");
  process.exit(2);
}
const applied = await applyMigrations(url, path.join(root, "prisma/migrations"));
console.log(applied.length ? `applied ${applied.map((m) => m.name).join(", ")}` : "database is up to date");
