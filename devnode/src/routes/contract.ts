// POST /contract/deploy (ContractController.deploy, local key): answers the bare address as text.
import { concat, isHexString } from "ethers";
import { encodeArgs, paramsToValues, parseAbi } from "../abi-codec.ts";
import { asObject, isBlank, requireGroup, type App } from "../app.ts";
import { Code, FrontError } from "../errors.ts";
import type { Router } from "../http.ts";

export function contractRoutes(r: Router, app: App): void {
  r.post("/contract/deploy", async ({ body }) => {
    const req = asObject(body);
    // Bean validation first (as Spring does), then the group, then the key.
    if (isBlank(req.user)) throw new FrontError(Code.USER_EMPTY, "user cannot be empty");
    if (isBlank(req.bytecodeBin)) throw new FrontError(Code.BYTECODE_NULL, "bytecodeBin is null");
    if (
      req.abiInfo === undefined ||
      req.abiInfo === null ||
      (Array.isArray(req.abiInfo) && req.abiInfo.length === 0)
    ) {
      throw new FrontError(Code.PARAM_VALID_FAIL, "abiInfo cannot be empty");
    }
    requireGroup(app, req.groupId ?? "1"); // ReqDeploy's default groupId is "1"
    const abiEntries = Array.isArray(req.abiInfo) ? (req.abiInfo as unknown[]) : undefined;
    const iface = parseAbi(req.abiInfo);
    const wallet = app.keys.wallet(String(req.user));
    if (!wallet) throw new FrontError(Code.PRIVATE_KEY_NULL, "user's privateKey is null");

    const bin = String(req.bytecodeBin).trim();
    const code = bin.startsWith("0x") ? bin : "0x" + bin;
    if (!isHexString(code) || code.length % 2 !== 0 || code.length <= 2) {
      throw new FrontError(Code.DEPLOY_ERROR, "contract deploy error", "bytecodeBin is not hex");
    }
    const inputs = iface.deploy.inputs;
    const args = encodeArgs(inputs, paramsToValues(inputs, req.funcParam));

    const hash = await app.chain.send({ wallet, data: concat([code, args]), deployAbi: abiEntries ?? [] });
    const receipt = await app.chain.receipt(hash, iface);
    if (!receipt || !receipt.statusOK || !receipt.contractAddress) {
      // WeBASE-Front throws FrontException(201014, receipt message); the receipt rides along in `data`
      // so a client can decode a custom error from its `output`.
      throw new FrontError(Code.DEPLOY_ERROR, receipt?.message || "contract deploy error", receipt);
    }
    return { text: receipt.contractAddress };
  });
}
