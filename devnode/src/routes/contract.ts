// POST /contract/deploy (WF/contract/ContractController.deployLocal, ContractService.deployLocally):
// answers the new contract's address as text.
import {
  asBean,
  booleanField,
  isBlank,
  listField,
  requireGroup,
  stringField,
  stringListField,
  type App,
} from "../app.ts";
import { loadAbi } from "../codec/abi.ts";
import { CodecError, encodeConstructor } from "../codec/encode.ts";
import { receiptMessage } from "../codec/revert.ts";
import { Code, FrontError, JavaError } from "../errors.ts";
import type { Router } from "../http.ts";

const DEPLOY_LOCAL =
  "public java.lang.String com.webank.webase.front.contract.ContractController.deployLocal(" +
  "com.webank.webase.front.contract.entity.ReqDeploy,org.springframework.validation.BindingResult) " +
  "throws java.lang.Exception";

export function contractRoutes(r: Router, app: App): void {
  r.post("/contract/deploy", DEPLOY_LOCAL, async ({ body }) => {
    const req = asBean(body, "com.webank.webase.front.contract.entity.ReqDeploy");
    const abiInfo = listField(req, "abiInfo");
    const bytecodeBin = stringField(req, "bytecodeBin");
    const user = stringField(req, "user");
    const isWasm = booleanField(req, "isWasm");
    // Bean validation (@NotEmpty abiInfo, @NotBlank bytecodeBin), then the controller's own checks
    if (abiInfo === null || abiInfo.length === 0) throw new FrontError(Code.ABIINFO_EMPTY);
    if (isBlank(bytecodeBin)) throw new FrontError(Code.BYTECODE_EMPTY);
    if (isBlank(user)) throw new FrontError(Code.USER_EMPTY);
    if (isWasm === null) throw new JavaError(null); // `boolean isWasm = reqDeploy.getIsWasm()` unboxes null
    if (isWasm) {
      const liquidAddress = stringField(req, "contractAddress");
      if (isBlank(liquidAddress)) throw new FrontError(Code.DEPLOY_LIQUID_ADDRESS_EMPTY);
      if (!liquidAddress!.startsWith("/")) throw new FrontError(Code.CONTRACT_ADDRESS_INVALID);
    }
    // deployLocally
    requireGroup(app, stringField(req, "groupId"));
    if (isWasm) throw new FrontError(Code.GROUP_SOL_WASM_NOT_MATCH); // a Solidity group
    const abi = loadAbi(abiInfo);
    if (!abi) throw new JavaError(null); // loadABI answered null: NPE
    let data: string;
    try {
      data = encodeConstructor(abi, bytecodeBin!, stringListField(req, "funcParam") ?? []);
    } catch (e) {
      if (e instanceof CodecError) throw new FrontError(Code.ENCODE_FAILED, e.message);
      throw e;
    }
    const wallet = app.keys.wallet(user!);
    const hash = await app.sealer.submit({ wallet, data });
    const at = app.chain.index.tx(hash)!;
    const output = await app.queries.output(at.tx, true);
    const rc = await app.queries.ethReceipt(hash);
    if (at.tx.status !== 0 || !rc.contractAddress) {
      // new FrontException(201014, receipt.getMessage()) after decodeReceipt: no receipt in `data`
      throw new FrontError(Code.DEPLOY_ERROR, receiptMessage(at.tx.status, output));
    }
    return { text: rc.contractAddress.toLowerCase() };
  });
}
