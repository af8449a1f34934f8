// WeBASE-Front error codes (ConstantCode.java, same numbering in the 3.x line) and the error envelope.
// A FrontException becomes HTTP 422 `{code, errorMessage, data}`; request-binding problems are HTTP 400
// with `code: 400` — see shared/reference/webase-front-api.md §0.

export const Code = {
  SYSTEM_ERROR: 101001,
  PARAM_VALID_FAIL: 101002,
  GROUP_NOT_FOUND: 101004,
  GROUP_ID_EMPTY: 201001,
  USER_EMPTY: 201002,
  SIGN_USER_ID_EMPTY: 201008,
  CONTRACT_NOT_DEPLOYED: 201009,
  FUNC_PARAM_ERROR: 201011,
  BLOCK_NUMBER_TOO_HIGH: 201012,
  DEPLOY_ERROR: 201014,
  PRIVATE_KEY_NULL: 201015,
  FUNCTION_ERROR: 201019,
  TX_QUERY_FAILED: 201020,
  TX_SEND_FAILED: 201021,
  BYTECODE_NULL: 201028,
  CONTRACT_ADDRESS_NULL: 201029,
  PRIVATE_KEY_DECODE_FAIL: 201031,
  USER_NAME_NULL: 201037,
  USER_NAME_EXISTS: 201038,
  PRIVATE_KEY_EXISTS: 201039,
  UNSUPPORTED_ENCODE_TYPE: 201151,
  UNABLE_TO_CREATE_INSTANCE: 201153,
  ADDRESS_INVALID: 201201,
} as const;

export class FrontError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, errorMessage: string, data: unknown = null, httpStatus = 422) {
    super(errorMessage);
    this.name = "FrontError";
    this.code = code;
    this.data = data;
    this.httpStatus = httpStatus;
  }

  toJSON(): { code: number; errorMessage: string; data: unknown } {
    return { code: this.code, errorMessage: this.message, data: this.data };
  }
}

/** Spring's binding errors (missing query parameter, unreadable JSON body) are HTTP 400 with code 400. */
export function badRequest(message: string): FrontError {
  return new FrontError(400, message, null, 400);
}
