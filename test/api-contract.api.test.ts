import { randomUUID } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiActor } from "../scripts/lib/api-actor.ts";
import { waitForMirror } from "./support/chain-acts.ts";
import { startStack, type Stack } from "./support/stack.ts";

// Bad input for every route, driven by the OpenAPI document itself, so a new route is covered the day
// it is added: no token → 401; a malformed path parameter, a missing or wrongly typed body field, a
// bad query value → 400 naming the field; an oversized body → 413; a well-formed but unknown id → 403
// or 404. Every status seen must be one the route declares, and nothing stored may change.

type Schema = {
  type?: string | string[];
  pattern?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
};
interface Parameter {
  name: string;
  in: "path" | "query";
  required?: boolean;
  schema: Schema;
}
interface Operation {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, unknown>;
}
interface Route {
  method: string;
  path: string;
  op: Operation;
}

let stack: Stack;
let openapi: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
let routes: Route[];
let stranger: ApiActor;

const resolve = (s: Schema): Schema => {
  if (s.$ref) return resolve(openapi.components!.schemas![s.$ref.split("/").pop()!]!);
  return s;
};

/** A value of the right shape that names nothing stored. */
function unknownValue(p: Parameter): string {
  const s = resolve(p.schema);
  if (s.format === "uuid") return randomUUID();
  if (s.type === "integer" || s.type === "number") return "987654";
  if (s.pattern?.includes("{64}")) return `0x${"ab".repeat(32)}`;
  if (s.pattern?.includes("{40}")) return Wallet.createRandom().address;
  return "unknown";
}

/** A value no parameter of ours accepts. */
const MALFORMED = "zz-not-valid";

/** A value of the wrong JSON type for a body property. */
function wrongType(s: Schema): unknown {
  const r = resolve(s);
  const t = Array.isArray(r.type) ? r.type[0] : r.type;
  if (r.enum) return "not-one-of-them";
  switch (t) {
    case "string":
      return 12345;
    case "integer":
    case "number":
      return "abc";
    case "boolean":
      return "yes";
    case "array":
      return { not: "an array" };
    case "object":
      return "not an object";
    default:
      return undefined;
  }
}

function fill(path: string, params: Parameter[], value: (p: Parameter) => string): string {
  return params.filter((p) => p.in === "path").reduce((acc, p) => acc.replace(`{${p.name}}`, encodeURIComponent(value(p))), path);
}

async function call(r: Route, opts: { token?: string | null; path?: string; body?: unknown; rawBody?: string; query?: string }) {
  const url = `${stack.baseUrl}${opts.path ?? r.path}${opts.query ? `?${opts.query}` : ""}`;
  const hasBody = r.method !== "get" && r.method !== "delete";
  const res = await fetch(url, {
    method: r.method.toUpperCase(),
    headers: {
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: hasBody ? (opts.rawBody ?? JSON.stringify(opts.body ?? {})) : undefined,
  });
  const text = await res.text();
  let json: { error?: { code: string; message: string; details?: { path: string }[] } } = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    /* a non-JSON body fails the envelope check below */
  }
  return { status: res.status, json };
}

function expectDeclared(r: Route, status: number): void {
  expect(Object.keys(r.op.responses), `${r.method.toUpperCase()} ${r.path} answered ${status}, which it does not declare`).toContain(String(status));
}

function expectEnvelope(r: Route, res: { status: number; json: { error?: { code: string; message: string } } }): void {
  expect(res.json.error?.code, `${r.method.toUpperCase()} ${r.path} → ${res.status} without an error envelope`).toBeTruthy();
  expect(res.json.error!.message).toBeTruthy();
}

async function tableCounts(): Promise<Record<string, number>> {
  const prisma = stack.app.context.prisma;
  const tables = (await prisma.$queryRawUnsafe<{ t: string }[]>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()",
  )).map((r) => r.t);
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM \`${t}\``);
    out[t] = Number(row!.n);
  }
  return out;
}

beforeAll(async () => {
  // No background check of the mirror: its runs are rows too, and every table must stay as it was.
  stack = await startStack({ env: { VERIFY_INTERVAL_MS: "0" } });
  openapi = stack.app.openapi as typeof openapi;
  routes = Object.entries(openapi.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path: path.replace(/\{(\w+)\}/g, "{$1}"), op })),
  );
  stranger = new ApiActor(stack.baseUrl, Wallet.createRandom() as unknown as Wallet);
  await stranger.signIn();
  // the deployment's own events are mirrored before anything is counted
  await waitForMirror(stack);
});

afterAll(async () => {
  await stack?.close();
});

const secured = (r: Route) => (r.op.security ?? []).length > 0;
const pathParams = (r: Route) => (r.op.parameters ?? []).filter((p) => p.in === "path");
const queryParams = (r: Route) => (r.op.parameters ?? []).filter((p) => p.in === "query");
const bodySchema = (r: Route) => {
  const s = r.op.requestBody?.content["application/json"]?.schema;
  return s ? resolve(s) : null;
};
const label = (r: Route) => `${r.method.toUpperCase()} ${r.path}`;
/** A path with every parameter set to something well-formed. */
const wellFormedPath = (r: Route) => fill(r.path, r.op.parameters ?? [], unknownValue);

describe("every route, from the OpenAPI document", () => {
  it("documents its responses, and secured routes declare the bearer scheme and 401", () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const r of routes) {
      expect(r.op.responses["400"], label(r)).toBeTruthy();
      if (secured(r)) {
        expect(r.op.security, label(r)).toEqual([{ bearerAuth: [] }]);
        expect(r.op.responses["401"], label(r)).toBeTruthy();
      }
    }
  });

  it("refuses callers without a token (401) and changes nothing", async () => {
    const before = await tableCounts();
    for (const r of routes.filter(secured)) {
      const res = await call(r, { token: null, path: wellFormedPath(r) });
      expect(res.status, label(r)).toBe(401);
      expectEnvelope(r, res);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("names a malformed path parameter (400)", async () => {
    for (const r of routes.filter((x) => pathParams(x).length)) {
      for (const p of pathParams(r)) {
        const path = fill(r.path, r.op.parameters!, (q) => (q.name === p.name ? MALFORMED : unknownValue(q)));
        const res = await call(r, { token: stranger.token, path });
        expect(res.status, `${label(r)} with ${p.name}=${MALFORMED}`).toBe(400);
        expect(res.json.error!.details!.map((d) => d.path), label(r)).toContain(`params.${p.name}`);
      }
    }
  });

  it("names each missing required body field and each wrongly typed one (400), storing nothing", async () => {
    const before = await tableCounts();
    for (const r of routes) {
      const schema = bodySchema(r);
      if (!schema?.properties) continue;
      const path = wellFormedPath(r);
      for (const field of schema.required ?? []) {
        const res = await call(r, { token: stranger.token, path, body: {} });
        expect(res.status, `${label(r)} without ${field}`).toBe(400);
        expect(res.json.error!.details!.map((d) => d.path), `${label(r)} without ${field}`).toContain(field);
      }
      for (const [field, prop] of Object.entries(schema.properties)) {
        const bad = wrongType(prop);
        if (bad === undefined) continue;
        const res = await call(r, { token: stranger.token, path, body: { [field]: bad } });
        expect(res.status, `${label(r)} with ${field}=${JSON.stringify(bad)}`).toBe(400);
        expect(res.json.error!.details!.map((d) => d.path), `${label(r)} with ${field}`).toContain(field);
      }
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("names a bad query value (400)", async () => {
    for (const r of routes) {
      for (const p of queryParams(r)) {
        const s = resolve(p.schema);
        const t = Array.isArray(s.type) ? s.type[0] : s.type;
        const bad = s.enum ? "not-one-of-them" : t === "integer" || t === "number" ? "abc" : s.pattern ? MALFORMED : null;
        if (bad === null) continue;
        const res = await call(r, { token: stranger.token, path: wellFormedPath(r), query: `${p.name}=${bad}` });
        expect(res.status, `${label(r)} ?${p.name}=${bad}`).toBe(400);
        expect(res.json.error!.details!.map((d) => d.path), label(r)).toContain(`query.${p.name}`);
      }
    }
  });

  it("refuses a body over the size limit (413) and malformed JSON (400)", async () => {
    const before = await tableCounts();
    const big = JSON.stringify({ padding: "x".repeat(300 * 1024) });
    for (const r of routes.filter((x) => x.method === "post")) {
      const tooBig = await call(r, { token: stranger.token, path: wellFormedPath(r), rawBody: big });
      expect(tooBig.status, label(r)).toBe(413);
      expect(tooBig.json.error?.code).toBe("PAYLOAD_TOO_LARGE");
      const broken = await call(r, { token: stranger.token, path: wellFormedPath(r), rawBody: "{not json" });
      expect(broken.status, label(r)).toBe(400);
      expect(broken.json.error?.code).toBe("MALFORMED_JSON");
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("answers a well-formed unknown id with a declared 403 or 404, never data", async () => {
    for (const r of routes.filter((x) => x.method === "get" && pathParams(x).length)) {
      for (const token of [stranger.token, (await adminToken())]) {
        const res = await call(r, { token, path: wellFormedPath(r) });
        expect([403, 404], `${label(r)} → ${res.status} ${JSON.stringify(res.json)}`).toContain(res.status);
        expectDeclared(r, res.status);
        expectEnvelope(r, res);
      }
    }
  });
});

let adminTokenValue: string | null = null;
async function adminToken(): Promise<string> {
  if (!adminTokenValue) {
    const admin = new ApiActor(stack.baseUrl, stack.admin);
    await admin.signIn();
    adminTokenValue = admin.token!;
  }
  return adminTokenValue;
}
