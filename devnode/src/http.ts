// A small router over node:http with Spring MVC's answers where WeBASE-Front relies on them:
//  - a path no controller maps: Spring Boot's resource handler sends 404 and the error page answers
//    {timestamp, status: 404, error: "Not Found", path} (it checks for a resource before the method,
//    so a POST to an unknown path is a 404 as well);
//  - a mapped path with another method: HttpRequestMethodNotSupportedException, which WeBASE's
//    catch-all @ExceptionHandler(Exception) turns into 500 {code: 500, errorMessage};
//  - an unreadable JSON body: HttpMessageNotReadableException, also 500 through the catch-all.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, JavaError, notFound } from "./errors.ts";
import type { Logger } from "./logger.ts";

export const BASE_PATH = "/WeBASE-Front";
const MAX_BODY = 16 * 1024 * 1024; // bytecode + ABI of large contracts fit comfortably

export interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** What a handler returns: JSON (any value, a bare number included) or plain text (a Java String). */
export type Reply = { json: unknown } | { text: string };

export type Handler = (ctx: Ctx) => Promise<Reply>;

interface Route {
  method: "GET" | "POST";
  parts: string[];
  handler: Handler;
  /** the Java method, named by Spring in "Required request body is missing: …" */
  javaMethod?: string;
}

export class Router {
  private readonly routes: Route[] = [];

  get(pattern: string, handler: Handler): void {
    this.routes.push({ method: "GET", parts: split(pattern), handler });
  }

  post(pattern: string, javaMethod: string, handler: Handler): void {
    this.routes.push({ method: "POST", parts: split(pattern), handler, javaMethod });
  }

  async handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
    const url = new URL(req.url ?? "/", "http://devnode");
    try {
      if (!url.pathname.startsWith(BASE_PATH + "/")) throw notFound();
      const segs = split(url.pathname.slice(BASE_PATH.length));
      const matching = this.routes
        .map((r) => ({ r, params: match(r.parts, segs) }))
        .filter((m) => m.params !== undefined);
      if (matching.length === 0) throw notFound();
      const hit = matching.find((m) => m.r.method === req.method);
      if (!hit) throw new JavaError(`Request method '${req.method}' not supported`);
      const body = hit.r.method === "POST" ? await readJson(req, hit.r.javaMethod ?? "") : undefined;
      const reply = await hit.r.handler({ params: hit.params!, query: url.searchParams, body });
      return send(res, 200, reply);
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.httpStatus, { json: e.body(url.pathname) });
      // A bug of ours, not a WeBASE answer: log it and answer like WeBASE's catch-all would.
      logger.error(`${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      return send(res, 500, { json: new JavaError((e as Error).message ?? null).body() });
    }
  }
}

function split(p: string): string[] {
  return p.split("/").filter((s) => s.length > 0);
}

function match(pattern: string[], segs: string[]): Record<string, string> | undefined {
  if (pattern.length !== segs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = segs[i]!;
    if (p.startsWith(":")) {
      try {
        params[p.slice(1)] = decodeURIComponent(s);
      } catch {
        return undefined;
      }
    } else if (p !== s) return undefined;
  }
  return params;
}

async function readJson(req: IncomingMessage, javaMethod: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new JavaError("request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new JavaError(`Required request body is missing: ${javaMethod}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    // Jackson's own wording is not reproduced; the status and envelope are WeBASE's.
    throw new JavaError(`JSON parse error: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, reply: Reply): void {
  if ("text" in reply) {
    // Spring writes a String return value as text/plain, unquoted
    const body = Buffer.from(reply.text, "utf8");
    res.writeHead(status, { "content-type": "text/plain;charset=UTF-8", "content-length": body.length });
    res.end(body);
    return;
  }
  const body = Buffer.from(JSON.stringify(reply.json), "utf8");
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}
