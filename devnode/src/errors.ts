// The error answers of WeBASE-Front 3.x (WF/base/exception/ExceptionsHandler.java, master-3.0):
//  - FrontException → HTTP 422 {code, data, errorMessage}
//  - TypeMismatchException, ServletRequestBindingException → HTTP 400 {code: 400, errorMessage}, no data
//  - any other exception → HTTP 500 {code, errorMessage}, code from ErrorCodeHandleUtils or 500, no data
// and, for requests no handler maps, Spring Boot 2.7's error page body {timestamp, status, error, path}.
// Keys come in the order Jackson writes WeBASE's HashMaps: code, data, errorMessage.

/** WF/base/code/ConstantCode.java */
export const Code = {
  PARAM_VALID_FAIL: 101002,
  USER_EMPTY: 201002,
  FUNCNAME_EMPTY: 201005,
  ABIINFO_EMPTY: 201006,
  BYTECODE_EMPTY: 201007,
  BLOCK_NUMBER_TOO_HIGH: 201012,
  CONTRACT_ADDRESS_INVALID: 201030,
  DEPLOY_ERROR: 201014,
  PRIVATE_KEY_NULL: 201015,
  VERSION_AND_ADDRESS_NULL: 201035,
  USER_NAME_NULL: 201037,
  USER_NAME_EXISTS: 201038,
  APPID_SIGN_USER_ID_EMPTY: 201041,
  ENCODE_FAILED: 201151,
  DECODE_FAILED: 201152,
  ADDRESS_INVALID: 201201,
  BLOCK_RANGE_INVALID: 201243,
  EVENT_CALLBACK_TIMEOUT: 201311,
  TX_RECEIPT_NOT_EXIST: 201510,
  BLOCK_NOT_EXIST: 201511,
  GROUP_SOL_WASM_NOT_MATCH: 201608,
  DEPLOY_LIQUID_ADDRESS_EMPTY: 201633,
  INVALID_VERSION: 201221,
  CNS_NAME_EMPTY: 201225,
  SYSTEM_ERROR: 101001,
} as const;

export const Message: Record<number, string> = {
  [Code.PARAM_VALID_FAIL]: "param valid fail",
  [Code.USER_EMPTY]: "user cannot be empty",
  [Code.FUNCNAME_EMPTY]: "funcName cannot be empty",
  [Code.ABIINFO_EMPTY]: "abiInfo cannot be empty",
  [Code.BYTECODE_EMPTY]: "bytecodeBin cannot be empty",
  [Code.BLOCK_NUMBER_TOO_HIGH]: "request blockNumber is greater than latest",
  [Code.DEPLOY_ERROR]: "contract deploy error",
  [Code.PRIVATE_KEY_NULL]: "user's privateKey is null",
  [Code.VERSION_AND_ADDRESS_NULL]: "version and address cannot all be null",
  [Code.USER_NAME_NULL]: "user name is null",
  [Code.USER_NAME_EXISTS]: "user name already exists",
  [Code.APPID_SIGN_USER_ID_EMPTY]: "external user's appId and signUserId cannot be empty",
  [Code.ENCODE_FAILED]: "Unsupported contract param type to encoded",
  [Code.DECODE_FAILED]: "Unsupported contract param type to decoded",
  [Code.ADDRESS_INVALID]: "address is invalid",
  [Code.BLOCK_RANGE_INVALID]:
    "Block range error, from/toBlock must greater than 0, toBlock must be greater than fromBlock",
  [Code.EVENT_CALLBACK_TIMEOUT]: "get event callback fail for time out",
  [Code.TX_RECEIPT_NOT_EXIST]: "transaction receipt of this hash not exist",
  [Code.BLOCK_NOT_EXIST]: "block of this hash not exist",
  [Code.SYSTEM_ERROR]: "system error",
  [Code.CONTRACT_ADDRESS_INVALID]: "contractAddress invalid",
  [Code.GROUP_SOL_WASM_NOT_MATCH]: "Deploying contract not match with the group(solidity/liquid)",
  [Code.DEPLOY_LIQUID_ADDRESS_EMPTY]: "When deploying liquid, contract address must not be empty",
  [Code.INVALID_VERSION]: "Contract version should only contains 'A-Z' or 'a-z' or '0-9' or dot mark ",
  [Code.CNS_NAME_EMPTY]: "cns name cannot be empty",
};

/** An answer other than a plain success: status and JSON body. */
export abstract class HttpError extends Error {
  abstract readonly httpStatus: number;
  abstract body(path: string): Record<string, unknown>;
}

/** new FrontException(code[, msg]) → 422. `data` is the exception's detail, null in all routes here. */
export class FrontError extends HttpError {
  readonly httpStatus = 422;
  constructor(
    readonly code: number,
    message: string = Message[code] ?? "",
    readonly data: unknown = null,
  ) {
    super(message);
  }
  body(): Record<string, unknown> {
    return { code: this.code, data: this.data, errorMessage: this.message };
  }
}

/** Spring's TypeMismatchException / ServletRequestBindingException → 400 {code: 400, errorMessage}. */
export class BadRequest extends HttpError {
  readonly httpStatus = 400;
  body(): Record<string, unknown> {
    return { code: 400, errorMessage: this.message };
  }
}

/**
 * Any other exception → 500 {code, errorMessage}. `javaMessage` null stands for a Java exception
 * without message (an NPE on Java 8): JSON null. The code is ErrorCodeHandleUtils' match or 500.
 */
export class JavaError extends HttpError {
  readonly httpStatus = 500;
  readonly javaMessage: string | null;
  constructor(javaMessage: string | null) {
    super(javaMessage ?? "null");
    this.javaMessage = javaMessage;
  }
  body(): Record<string, unknown> {
    return { code: chainErrorCode(this.javaMessage), errorMessage: this.javaMessage };
  }
}

/** Spring Boot's BasicErrorController body (DefaultErrorAttributes: timestamp as epoch ms with WeBASE's mapper). */
export class SpringStatus extends HttpError {
  constructor(
    readonly httpStatus: number,
    readonly reason: string,
  ) {
    super(reason);
  }
  body(path: string): Record<string, unknown> {
    return { timestamp: Date.now(), status: this.httpStatus, error: this.reason, path };
  }
}

export const notFound = () => new SpringStatus(404, "Not Found");

/** WF/util/ErrorCodeHandleUtils.handleErrorMsg: the first known node code found in the message, else 500. */
const NODE_CODES = [
  -32600, -32601, -32602, -32603, -32604, -32700, -40001, -40002, -40003, -40004, -40005, -40006, -40007,
  -40008, -40009, -400010, -50000, -50001, -50100, -50101, -50102, -50100, -51001, -51100, -51101, -51102,
  -51103, -51104, -51105, -51200, -51201, -51300, -51500, -51501, -51502,
];
export function chainErrorCode(message: string | null): number {
  if (message === null) return 500;
  if (message.includes("no active connection available")) return -1;
  return NODE_CODES.find((c) => message.includes(String(c))) ?? 500;
}
