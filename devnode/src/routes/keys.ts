// Key routes (KeyStoreController): create, import and list keys held by the devnode.
import { requireGroup, type App } from "../app.ts";
import { Code, FrontError, badRequest } from "../errors.ts";
import type { Router } from "../http.ts";

function requiredParam(q: URLSearchParams, name: string): string {
  const v = q.get(name);
  // Spring: a missing @RequestParam is a binding error, HTTP 400
  if (v === null)
    throw badRequest(`Required request parameter '${name}' for method parameter type String is not present`);
  return v;
}

export function keyRoutes(r: Router, app: App): void {
  r.get("/privateKey", async ({ query }) => {
    requireGroup(app, requiredParam(query, "groupId"));
    // WeBASE-Front's default type is 2 (external, WeBASE-Sign): only the local types exist here.
    const type = query.get("type") ?? "2";
    if (type !== "0" && type !== "1") {
      if (type === "2") throw new FrontError(Code.SIGN_USER_ID_EMPTY, "signUserId cannot be empty");
      throw new FrontError(Code.PARAM_VALID_FAIL, "param valid fail", `unsupported key type ${type}`);
    }
    const info = await app.keys.create(query.get("userName") ?? undefined, app.groupId, Number(type));
    return { json: info };
  });

  r.get("/privateKey/import", async ({ query }) => {
    requireGroup(app, requiredParam(query, "groupId"));
    const info = await app.keys.import(
      query.get("privateKey") ?? undefined,
      query.get("userName") ?? undefined,
      app.groupId,
    );
    return { json: info };
  });

  r.get("/privateKey/localKeyStores", async ({ query }) => {
    const g = query.get("groupId");
    if (g !== null) requireGroup(app, g);
    return { json: app.keys.list() };
  });
}
