import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const hex32 = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex")
  .transform((s) => s.replace(/^0x/, "").toLowerCase());

// Development defaults let `npm start` run with no configuration; production must set the secrets.
const DEV_JWT_SECRET = "yiyuanliao-development-only-jwt-secret-change-me";
const DEV_KMC_KEK = "6d9f1a3c5e7b9d1f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f";

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    DATABASE_URL: z.string().url().default("mysql://yyl:yyl@127.0.0.1:3306/yyl"),
    WEBASE_URL: z.string().url().default("http://127.0.0.1:5002/WeBASE-Front"),
    WEBASE_GROUP_ID: z.string().min(1).default("group0"),
    NETWORK: z
      .string()
      .regex(/^[a-z0-9-]+$/, "lower-case letters, digits and dashes")
      .default("local"),
    DEPLOYMENT_FILE: z.string().optional(),
    JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    JWT_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    /** Seals the key authority's CP-ABE master key and break-glass escrow key at rest. */
    KMC_KEK: hex32.optional(),
    WEB_DIST: z.string().optional(),
    INDEXER_POLL_MS: z.coerce.number().int().positive().default(300),
    /** How often the background check compares the whole mirror with the chain; 0 turns it off. */
    VERIFY_INTERVAL_MS: z.coerce.number().int().min(0).default(600_000),
    /** Record reads decided on chain (each one a transaction) allowed per caller per minute; 0: no limit. */
    CHAIN_READS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
    BODY_LIMIT: z.string().default("256kb"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === "production") {
      if (!c.JWT_SECRET)
        ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "required in production" });
      if (!c.KMC_KEK) ctx.addIssue({ code: "custom", path: ["KMC_KEK"], message: "required in production" });
    }
  });

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  databaseUrl: string;
  webaseUrl: string;
  groupId: string;
  network: string;
  deploymentFile: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  kmcKek: string;
  webDist: string;
  indexerPollMs: number;
  /** Period of the background check of the mirror against the chain (ms); 0: no background check. */
  verifyIntervalMs: number;
  chainReadsPerMinute: number;
  bodyLimit: string;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Reads the configuration once from the environment; a bad value stops start-up naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    webaseUrl: c.WEBASE_URL.replace(/\/$/, ""),
    groupId: c.WEBASE_GROUP_ID,
    network: c.NETWORK,
    deploymentFile: c.DEPLOYMENT_FILE ?? path.join(repoRoot, "deploy/addresses", `${c.NETWORK}.json`),
    jwtSecret: c.JWT_SECRET ?? DEV_JWT_SECRET,
    jwtTtlSeconds: c.JWT_TTL_SECONDS,
    kmcKek: c.KMC_KEK ?? DEV_KMC_KEK,
    webDist: c.WEB_DIST ?? path.join(repoRoot, "web/dist"),
    indexerPollMs: c.INDEXER_POLL_MS,
    verifyIntervalMs: c.VERIFY_INTERVAL_MS,
    chainReadsPerMinute: c.CHAIN_READS_PER_MINUTE,
    bodyLimit: c.BODY_LIMIT,
    logLevel: c.LOG_LEVEL,
  };
}
