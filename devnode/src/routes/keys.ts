// Key routes (WF/keystore/KeyStoreController.java, KeyStoreService.java): create, import and list the
// keys the devnode holds. Private keys leave /privateKey and /privateKey/import AES-encrypted, and
// only /privateKey/localKeyStores shows them in the clear — as WeBASE-Front does.
import { intParam, isBlank, requireGroup, requiredParam, type App } from "../app.ts";
import { Code, FrontError, JavaError } from "../errors.ts";
import type { Router } from "../http.ts";

/** WF/keystore/entity/KeyTypes: 0 local, 1 random, 2 external (WeBASE-Sign) */
const LOCAL = 0;
const EXTERNAL = 2;

export function keyRoutes(r: Router, app: App): void {
  r.get("/privateKey", async ({ query }) => {
    const groupId = requiredParam(query, "groupId");
    const type = intParam(query, "type", EXTERNAL);
    if (type === EXTERNAL) {
      if (isBlank(query.get("signUserId")) || isBlank(query.get("appId"))) {
        throw new FrontError(Code.APPID_SIGN_USER_ID_EMPTY);
      }
      // WeBASE asks WeBASE-Sign (constant.keyServer) for the key; there is none next to a devnode.
      throw new JavaError("devnode: there is no WeBASE-Sign to create an external (type 2) key");
    }
    if (type !== LOCAL) throw new FrontError(Code.PARAM_VALID_FAIL);
    const userName = query.get("userName");
    if (isBlank(userName)) throw new FrontError(Code.USER_NAME_NULL);
    // createKeyStoreLocally: the name check comes before the group is looked up
    app.keys.checkNameFree(userName!);
    requireGroup(app, groupId);
    return { json: await app.keys.create(userName!) };
  });

  r.get("/privateKey/import", async ({ query }) => {
    const groupId = requiredParam(query, "groupId");
    const privateKey = requiredParam(query, "privateKey");
    const userName = requiredParam(query, "userName");
    app.keys.checkNameFree(userName);
    requireGroup(app, groupId);
    return { json: await app.keys.import(privateKey, userName) };
  });

  r.get("/privateKey/localKeyStores", async () => ({ json: app.keys.localKeyStores() }));
}
