import { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { Router, type Request, type Response } from "express";
import { z, type ZodType } from "zod";
import type { Session } from "../auth/session.ts";
import { badRequest, unauthorized, type ErrorDetail } from "./errors.ts";

// Each endpoint is declared once: its zod schemas validate the request and describe it in OpenAPI.

type Method = "get" | "post" | "put" | "delete";

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  session: Session | null;
  /** The request id (also in the logs and the x-request-id header), for the audit log. */
  requestId: string;
  req: Request;
  res: Response;
}

export interface EndpointSpec<B, Q, P, R> {
  method: Method;
  /** Express-style path relative to /api, e.g. `/emr/drafts/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Whether a signed-in session is required (401 otherwise). */
  auth: boolean;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  status?: number;
  response: ZodType<R>;
  /** Error statuses this endpoint can answer with besides 400/401/500. */
  errors?: number[];
  handler: (input: HandlerInput<B, Q, P>) => Promise<R>;
}

export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });

const ERROR_TEXT: Record<number, string> = {
  400: "Bad input; `details` names each field at fault",
  401: "Not signed in, or the token expired",
  403: "Not allowed; the attempt is recorded in the audit log",
  404: "Not found",
  409: "Conflicts with the resource's current state",
  413: "Request body too large",
  422: "The chain refused the transaction; `code` is the contract's custom error",
  429: "Too many requests",
  502: "The chain (WeBASE-Front) could not be reached",
};

function zodDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = zodDetails(result.error, prefix);
    throw badRequest(`invalid ${details.map((d) => d.path || prefix).join(", ")}`, details);
  }
  return result.data;
}

export class Api {
  readonly router = Router();
  readonly registry = new OpenAPIRegistry();
  /** Answers whose status the route does not declare in OpenAPI (the test stack fails on any). */
  readonly undeclared: string[] = [];

  constructor(private readonly resolveSession: (req: Request) => Promise<Session | null>) {
    this.registry.registerComponent("securitySchemes", "bearerAuth", {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "Token from POST /api/auth/session",
    });
  }

  route<B = undefined, Q = undefined, P = undefined, R = unknown>(spec: EndpointSpec<B, Q, P, R>): void {
    const status = spec.status ?? 200;
    const errorStatuses = [400, ...(spec.auth ? [401] : []), ...(spec.errors ?? [])];
    this.registry.registerPath({
      method: spec.method,
      path: "/api" + spec.path.replace(/:([A-Za-z]+)/g, "{$1}"),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: spec.auth ? [{ bearerAuth: [] }] : [],
      request: {
        body: spec.body ? { content: { "application/json": { schema: spec.body } }, required: true } : undefined,
        query: spec.query as never,
        params: spec.params as never,
      },
      responses: {
        [status]: { description: "OK", content: { "application/json": { schema: spec.response } } },
        ...Object.fromEntries(
          errorStatuses.map((s) => [
            s,
            { description: ERROR_TEXT[s] ?? "Error", content: { "application/json": { schema: ErrorEnvelope } } },
          ]),
        ),
      },
    });

    const declared = new Set([status, ...errorStatuses, 413]);
    this.router[spec.method](spec.path, async (req, res, next) => {
      res.on("finish", () => {
        // 304 answers a browser's conditional GET with the declared 200's body unchanged.
        if (res.statusCode !== 304 && !declared.has(res.statusCode)) this.undeclared.push(`${spec.method.toUpperCase()} /api${spec.path} answered ${res.statusCode}`);
      });
      try {
        const session = await this.resolveSession(req);
        if (spec.auth && !session) throw unauthorized();
        const input: HandlerInput<B, Q, P> = {
          params: parse(spec.params, req.params, "params"),
          query: parse(spec.query, req.query, "query"),
          body: parse(spec.body, req.body ?? {}, ""),
          session,
          requestId: String(req.id),
          req,
          res,
        };
        const result = await spec.handler(input);
        res.status(status).json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}
