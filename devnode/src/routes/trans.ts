// POST /trans/handle (WF/transaction/TransController.transHandleLocal, TransService.transHandleLocal):
// a constant function is a call and answers a list of strings; anything else is sent as a transaction
// and answers its receipt (HTTP 200 even when it failed).
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
import { decodeMethodResult } from "../codec/decode.ts";
import { CodecError, encodeMethod } from "../codec/encode.ts";
import { callErrorText } from "../codec/revert.ts";
import { Code, FrontError, JavaError } from "../errors.ts";
import type { Router } from "../http.ts";
import { receiptOf } from "./views.ts";

const TRANS_HANDLE_LOCAL =
  "public java.lang.Object com.webank.webase.front.transaction.TransController.transHandleLocal(" +
  "com.webank.webase.front.transaction.entity.ReqTransHandle,org.springframework.validation.BindingResult) " +
  "throws java.lang.Exception";

/** Address.ValidLen: the only check WeBASE makes on contractAddress */
const ADDRESS_LENGTH = 42;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function transRoutes(r: Router, app: App): void {
  r.post("/trans/handle", TRANS_HANDLE_LOCAL, async ({ body }) => {
    const req = asBean(body, "com.webank.webase.front.transaction.entity.ReqTransHandle");
    const user = stringField(req, "user");
    const funcName = stringField(req, "funcName");
    // Bean validation: @NotNull user, @NotBlank funcName
    if (user === null) throw new FrontError(Code.USER_EMPTY);
    if (isBlank(funcName)) throw new FrontError(Code.FUNCNAME_EMPTY);
    const address = stringField(req, "contractAddress");
    if (isBlank(stringField(req, "version")) && isBlank(address)) {
      throw new FrontError(Code.VERSION_AND_ADDRESS_NULL);
    }
    const wasmField = booleanField(req, "isWasm");
    const isWasm = wasmField === undefined ? false : wasmField; // ReqTransHandle's default is false
    if (isWasm === null) throw new JavaError(null); // `!getIsWasm()` unboxes null
    if (!isWasm && !isBlank(address) && address!.length !== ADDRESS_LENGTH) {
      throw new FrontError(Code.ADDRESS_INVALID);
    }
    if (booleanField(req, "useCns") === true) {
      if (!/^[A-Za-z0-9.]+$/.test(stringField(req, "version") ?? ""))
        throw new FrontError(Code.INVALID_VERSION);
      if (isBlank(stringField(req, "cnsName"))) throw new FrontError(Code.CNS_NAME_EMPTY);
    }

    // transHandleLocal
    requireGroup(app, "groupId" in req ? stringField(req, "groupId") : "1"); // ReqTransHandle's default is "1"
    const abi = loadAbi("contractAbi" in req ? listField(req, "contractAbi") : []);
    if (!abi) throw new JavaError(null); // loadABI answered null: NPE
    let data: string;
    try {
      data = encodeMethod(abi, funcName!, stringListField(req, "funcParam") ?? []);
    } catch (e) {
      if (e instanceof CodecError) throw new FrontError(Code.ENCODE_FAILED, e.message);
      throw e;
    }
    // getABIDefinition: constness of the first function of that name
    const first = abi.functions.get(funcName!)![0]!;
    if (first.noStateMutability) throw new JavaError(null);
    if (isBlank(address) || !HEX_ADDRESS.test(address!)) {
      // a version without an address (CNS, gone in 3.x) or 42 characters that are not hex: the node
      // fails on such a `to`; the devnode does not emulate how
      throw new JavaError(`devnode: contractAddress ${JSON.stringify(address)} is not an address`);
    }

    if (first.constant) {
      const res = await app.queries.call(address!, data);
      if (res.status !== 0) return { json: [callErrorText(res.status, res.output)] };
      try {
        return { json: decodeMethodResult(abi, funcName!, res.output) };
      } catch {
        throw new FrontError(Code.DECODE_FAILED);
      }
    }

    const wallet = app.keys.wallet(user);
    const hash = await app.sealer.submit({ wallet, to: address!, data });
    return { json: await receiptOf(app, hash, true) };
  });
}
