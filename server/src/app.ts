import { existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import express, { type Express } from "express";
import rateLimit from "express-rate-limit";
import helmet from "helmet";
import { pino, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import swaggerUi from "swagger-ui-express";
import { AuditLog } from "./audit/audit-log.ts";
import { ChainReadBudget } from "./access/chain-read-budget.ts";
import { registerAuthRoutes } from "./auth/routes.ts";
import { sessionResolver, Tokens } from "./auth/session.ts";
import { connectChain } from "./chain/chain.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { createPrisma } from "./db/prisma.ts";
import { KeyAuthority } from "./keys/authority.ts";
import { registerEmrRoutes } from "./emr/routes.ts";
import { registerHealthRoutes } from "./health/routes.ts";
import { Api } from "./http/api.ts";
import { errorHandler } from "./http/errors.ts";
import { Indexer } from "./indexer/indexer.ts";
import { registerMemberRoutes } from "./members/routes.ts";
import { registerVerifyRoutes } from "./verify/routes.ts";
import { registerKeyRoutes } from "./keys/routes.ts";
import { startBackgroundCheck } from "./verify/background.ts";
import { registerConsentRoutes } from "./consent/routes.ts";
import { registerEmergencyRoutes } from "./emergency/routes.ts";
import { registerProcessRoutes } from "./process/routes.ts";
import { registerHospitalRoutes } from "./hospitals/routes.ts";
import { registerPointsRoutes } from "./points/routes.ts";
import { registerValueHintRoutes } from "./points/value-hint-routes.ts";
import { registerRecommendationRoutes } from "./recommendations/routes.ts";
import { registerShapleyRoutes } from "./research/shapley-routes.ts";
import { registerResearchRoutes } from "./research/routes.ts";
import { registerResearchExportRoutes } from "./research/export-routes.ts";
import { registerStatisticsRoutes } from "./statistics/routes.ts";
import { registerRegulatorRoutes } from "./regulators/routes.ts";
import { registerAuditRoutes } from "./audit/routes.ts";

export interface App {
  app: Express;
  context: AppContext;
  openapi: object;
  /** Stops the indexer and closes the database pool. */
  close(): Promise<void>;
}

export function buildOpenApi(api: Api): object {
  return new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "医元疗 YiYuanLiao API",
      version: "0.1.0",
      description:
        "Medical-data alliance on a FISCO BCOS chain. Sign in with POST /api/auth/challenge and /api/auth/session, " +
        "then use the token with Authorize. Every read of medical data is audited.",
    },
    servers: [{ url: "/" }],
  });
}

export async function createApp(
  config: Config,
  opts: { logger?: Logger; startIndexer?: boolean } = {},
): Promise<App> {
  const logger = opts.logger ?? pino({ level: config.logLevel });
  const prisma = createPrisma(config.databaseUrl);
  const chain = await connectChain(config);
  const tokens = new Tokens(config.jwtSecret, config.jwtTtlSeconds);
  const api = new Api(sessionResolver(prisma, tokens));
  const context: AppContext = {
    config,
    logger,
    prisma,
    chain,
    api,
    tokens,
    audit: new AuditLog(prisma),
    indexer: new Indexer(prisma, chain, logger.child({ part: "indexer" }), config.indexerPollMs),
    keys: await KeyAuthority.open(prisma, config.kmcKek),
    chainReads: new ChainReadBudget(config.chainReadsPerMinute),
  };
  registerHealthRoutes(context);
  registerAuthRoutes(context);
  registerMemberRoutes(context);
  registerEmrRoutes(context);
  registerConsentRoutes(context);
  registerEmergencyRoutes(context);
  registerProcessRoutes(context);
  registerHospitalRoutes(context);
  registerPointsRoutes(context);
  registerValueHintRoutes(context);
  registerRecommendationRoutes(context);
  registerResearchRoutes(context);
  registerShapleyRoutes(context);
  registerStatisticsRoutes(context);
  registerResearchExportRoutes(context);
  registerRegulatorRoutes(context);
  registerAuditRoutes(context);
  registerVerifyRoutes(context);
  registerKeyRoutes(context);
  const openapi = buildOpenApi(api);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/api/health" },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Swagger UI and the portal load only their own scripts and styles; Element Plus sets inline styles.
        // The portal compiles the pairing library's WebAssembly (CP-ABE in the browser), which
        // 'wasm-unsafe-eval' allows without allowing JavaScript eval.
        directives: {
          "script-src": ["'self'", "'wasm-unsafe-eval'"],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
        },
      },
    }),
  );
  app.use("/api", express.json({ limit: config.bodyLimit }));
  app.use(
    "/api/auth",
    rateLimit({
      windowMs: 60_000,
      limit: 60,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      message: { error: { code: "RATE_LIMITED", message: "too many sign-in attempts; wait a minute" } },
    }),
  );
  app.get("/api/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.use(
    "/api/docs",
    swaggerUi.serve,
    swaggerUi.setup(openapi, {
      customSiteTitle: "医元疗 API",
      swaggerOptions: { persistAuthorization: true },
    }),
  );
  app.use("/api", api.router);
  app.use("/api", (req, res) => {
    res
      .status(404)
      .json({ error: { code: "NOT_FOUND", message: `no route ${req.method} ${req.originalUrl}` } });
  });
  if (existsSync(config.webDist)) {
    app.use(express.static(config.webDist, { index: false, maxAge: "1h" }));
    // The portal routes in the browser: any other GET gets its index page.
    app.get(/^(?!\/api\/).*/, (_req, res) => res.sendFile(path.join(config.webDist, "index.html")));
  }
  app.use(errorHandler(logger));

  const background =
    opts.startIndexer !== false ? (context.indexer.start(), startBackgroundCheck(context)) : null;
  return {
    app,
    context,
    openapi,
    close: async () => {
      await background?.stop();
      await context.indexer.stop();
      await prisma.$disconnect();
    },
  };
}
