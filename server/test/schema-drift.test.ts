import { readFile } from "node:fs/promises";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/config.ts";
import { applyMigrations } from "../src/db/migrations.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/db.ts";

// The SQL migrations are written by hand (Prisma's migration engine cannot be downloaded here), so this
// test holds them to prisma/schema.prisma: same tables, columns, types, nullability and unique keys.

interface ModelField {
  column: string;
  type: string;
  nullable: boolean;
  dbType: string | null;
}
interface Model {
  table: string;
  fields: ModelField[];
  uniques: string[][];
}

/** Reads models from schema.prisma: enough of the grammar for the scalar models this project uses. */
function parseSchema(text: string): Model[] {
  const models: Model[] = [];
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = m[2]!;
    const fields: ModelField[] = [];
    const columnOf = new Map<string, string>();
    const uniques: string[][] = [];
    for (const raw of body.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      if (!line || line.startsWith("@@")) continue;
      const f = /^(\w+)\s+(\w+)(\?)?(.*)$/.exec(line);
      if (!f) continue;
      const [, name, type, optional, attrs] = f as unknown as [string, string, string, string | undefined, string];
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? name;
      columnOf.set(name, column);
      fields.push({ column, type, nullable: !!optional, dbType: /@db\.(\w+)(\(\d+\))?/.exec(attrs)?.[0] ?? null });
      if (/@id\b/.test(attrs)) uniques.push([column]);
      if (/@unique\b/.test(attrs)) uniques.push([column]);
    }
    for (const u of body.matchAll(/@@(?:unique|id)\(\[([^\]]+)\]/g)) {
      uniques.push(u[1]!.split(",").map((s) => columnOf.get(s.trim()) ?? s.trim()));
    }
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? m[1]!;
    models.push({ table, fields, uniques });
  }
  return models;
}

/** MariaDB reports integer display widths (int(11)); MySQL 8 does not. They mean nothing for storage. */
const withoutDisplayWidth = (t: string) => t.toLowerCase().replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, "$1");

/** The MySQL column type Prisma uses for a field (MariaDB reports JSON as longtext). */
function expectedType(f: ModelField): string[] {
  if (f.dbType) {
    const [, name, size] = /@db\.(\w+)(?:\((\d+)\))?/.exec(f.dbType)!;
    const t = name!.toLowerCase();
    return [size ? `${t}(${size})` : t];
  }
  switch (f.type) {
    case "String":
      return ["varchar(191)"];
    case "Int":
      return ["int"];
    case "BigInt":
      return ["bigint"];
    case "Json":
      return ["longtext", "json"];
    case "DateTime":
      return ["datetime(3)"];
    case "Boolean":
      return ["tinyint"];
    default:
      throw new Error(`no mapping for ${f.type}`);
  }
}

let db: TestDatabase;
let conn: mysql.Connection;
let models: Model[];

beforeAll(async () => {
  db = await createTestDatabase();
  conn = await mysql.createConnection({ uri: db.url });
  models = parseSchema(await readFile(path.join(repoRoot, "prisma/schema.prisma"), "utf8"));
});
afterAll(async () => {
  await conn?.end();
  await db?.drop();
});

describe("migrations match schema.prisma", () => {
  it("create exactly the schema's tables", async () => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.t).sort()).toEqual(models.map((m) => m.table).sort());
  });

  it("give every column the schema's type and nullability, and nothing more", async () => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT table_name AS t, column_name AS c, column_type AS type, is_nullable AS n FROM information_schema.columns WHERE table_schema = DATABASE()",
    );
    for (const m of models) {
      const cols = rows.filter((r) => r.t === m.table);
      expect(cols.map((c) => c.c).sort(), m.table).toEqual(m.fields.map((f) => f.column).sort());
      for (const f of m.fields) {
        const col = cols.find((c) => c.c === f.column)!;
        expect(expectedType(f), `${m.table}.${f.column}`).toContain(withoutDisplayWidth(String(col.type)));
        expect(col.n === "YES", `${m.table}.${f.column} nullable`).toBe(f.nullable);
      }
    }
  });

  it("enforce the schema's primary and unique keys", async () => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT table_name AS t, index_name AS i, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols FROM information_schema.statistics WHERE table_schema = DATABASE() AND non_unique = 0 GROUP BY table_name, index_name",
    );
    for (const m of models) {
      const actual = rows.filter((r) => r.t === m.table).map((r) => String(r.cols)).sort();
      expect(actual, m.table).toEqual(m.uniques.map((u) => u.join(",")).sort());
    }
  });

  it("are recorded like Prisma's, and a second run applies nothing", async () => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT migration_name, finished_at, applied_steps_count FROM _prisma_migrations");
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.finished_at).not.toBeNull();
    expect(await applyMigrations(db.url, path.join(repoRoot, "prisma/migrations"))).toEqual([]);
  });
});
