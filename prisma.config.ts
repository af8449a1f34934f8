import { defineConfig } from "prisma/config";

// The CLI is used only for `generate` here (migrations are applied by scripts/migrate.ts), so a
// database URL is optional.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "mysql://yyl:yyl@127.0.0.1:3306/yyl" },
});
