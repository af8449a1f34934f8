// POST /trans/handle (TransController.transHandle, local key): a view call answers a list of strings,
// anything else is sent as a transaction and answers its FISCO 3.x receipt (HTTP 200 even when reverted).
import {
  decodeResultToStrings,
  encodeArgs,
  findFunction,
  isCall,
  paramsToValues,
  parseAbi,
} from "../abi-codec.ts";
import { ADDRESS, asObject, isBlank, requireGroup, type App } from "../app.ts";
import { Code, FrontError } from "../errors.ts";
import type { Router } from "../http.ts";

export function transRoutes(r: Router, app: App): void {
  r.post("/trans/handle", async ({ body }) => {
    const req = asObject(body);
    if (isBlank(req.user)) throw new FrontError(Code.USER_EMPTY, "user cannot be empty");
    if (isBlank(req.contractAddress))
      throw new FrontError(Code.CONTRACT_ADDRESS_NULL, "contractAddress is null");
    if (isBlank(req.funcName)) throw new FrontError(Code.FUNCTION_ERROR, "request function is error");
    const address = String(req.contractAddress).trim();
    if (!ADDRESS.test(address)) throw new FrontError(Code.ADDRESS_INVALID, "address is invalid");
    if (req.contractAbi === undefined || req.contractAbi === null) {
      throw new FrontError(Code.PARAM_VALID_FAIL, "contractAbi cannot be empty");
    }
    requireGroup(app, req.groupId ?? "1"); // ReqTransHandle's default groupId is "1"

    const iface = parseAbi(req.contractAbi);
    const params = Array.isArray(req.funcParam)
      ? req.funcParam
      : req.funcParam === undefined || req.funcParam === null
        ? []
        : undefined;
    if (!params) throw new FrontError(Code.FUNC_PARAM_ERROR, "contract funcParam is error");
    const fn = findFunction(iface, String(req.funcName), params.length);
    const data = fn.selector + encodeArgs(fn.inputs, paramsToValues(fn.inputs, params)).slice(2);
    const user = String(req.user).trim();
    const to = address.toLowerCase();

    if (isCall(fn)) {
      // A call needs no key, only a sender address.
      const from = ADDRESS.test(user) ? user.toLowerCase() : undefined;
      if (!from) throw new FrontError(Code.PRIVATE_KEY_NULL, "user's privateKey is null");
      const res = await app.chain.call({ from, to, data });
      if (!res.ok) {
        // WeBASE-Front answers a failed call with HTTP 200 and this one-element list.
        return { json: [`Call contract return error: ${res.reason || "execution reverted"}`] };
      }
      if (res.data === "0x" && fn.outputs.length > 0) {
        const code = await app.chain.rpc<string>("eth_getCode", [to, "latest"]);
        if (code === "0x") throw new FrontError(Code.CONTRACT_NOT_DEPLOYED, "contract is not deployed");
      }
      try {
        return { json: decodeResultToStrings(fn.outputs, res.data) };
      } catch (e) {
        throw new FrontError(
          Code.TX_QUERY_FAILED,
          "transaction query from chain failed",
          (e as Error).message,
        );
      }
    }

    const wallet = app.keys.wallet(user);
    if (!wallet) throw new FrontError(Code.PRIVATE_KEY_NULL, "user's privateKey is null");
    const hash = await app.chain.send({ wallet, to, data });
    const receipt = await app.chain.receipt(hash, iface);
    return { json: receipt };
  });
}
