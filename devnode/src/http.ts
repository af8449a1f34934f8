// A small router over node:http: the devnode serves a dozen routes, which does not need a framework.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Code, FrontError, badRequest } from "./errors.ts";
import type { Logger } from "./logger.ts";

export const BASE_PATH = "/WeBASE-Front";
const MAX_BODY = 16 * 1024 * 1024; // bytecode + ABI of large contracts fit comfortably

export interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** What a handler returns: JSON (any value, including a bare number), plain text, or an empty 200. */
export type Reply = { json: unknown; status?: number } | { text: string } | { empty: true };

export type Handler = (ctx: Ctx) => Promise<Reply>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  get(pattern: string, handler: Handler): void {
    this.routes.push({ method: "GET", parts: split(pattern), handler });
  }

  post(pattern: string, handler: Handler): void {
    this.routes.push({ method: "POST", parts: split(pattern), handler });
  }

  async handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", "http://devnode");
      if (!url.pathname.startsWith(BASE_PATH + "/")) throw notFound(url.pathname);
      const segs = split(url.pathname.slice(BASE_PATH.length));
      let methodMismatch = false;
      for (const r of this.routes) {
        const params = match(r.parts, segs);
        if (!params) continue;
        if (r.method !== req.method) {
          methodMismatch = true;
          continue;
        }
        const body = req.method === "POST" ? await readJson(req) : undefined;
        const reply = await r.handler({ params, query: url.searchParams, body });
        return send(res, reply);
      }
      if (methodMismatch)
        throw new FrontError(405, `Request method '${req.method}' not supported`, null, 405);
      throw notFound(url.pathname);
    } catch (e) {
      if (e instanceof FrontError) {
        return send(res, { json: e.toJSON(), status: e.httpStatus });
      }
      logger.error(`${req.method} ${req.url}: ${(e as Error).stack ?? String(e)}`);
      return send(res, {
        json: { code: Code.SYSTEM_ERROR, errorMessage: "system error", data: (e as Error).message ?? null },
        status: 500,
      });
    }
  }
}

function notFound(path: string): FrontError {
  return new FrontError(404, `No handler found for ${path}`, null, 404);
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
    if (p.startsWith(":")) params[p.slice(1)] = decodeURIComponent(s);
    else if (p !== s) return undefined;
  }
  return params;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new FrontError(413, "request body too large", null, 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw badRequest("Required request body is missing");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`JSON parse error: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if ("empty" in reply) {
    res.writeHead(200, { "content-length": "0" });
    res.end();
    return;
  }
  if ("text" in reply) {
    // Spring writes a String return value as text/plain, unquoted
    const body = Buffer.from(reply.text, "utf8");
    res.writeHead(200, { "content-type": "text/plain;charset=UTF-8", "content-length": body.length });
    res.end(body);
    return;
  }
  const body = Buffer.from(JSON.stringify(reply.json), "utf8");
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}
