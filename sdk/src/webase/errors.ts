import type { TransactionReceipt } from "./types.ts";

/**
 * WeBASE-Front answered with an error (shared/reference/webase-front-api.md §0):
 * - HTTP 422 `{code, errorMessage, data}`: a business error (FrontException), e.g. 201012 block beyond
 *   the head, 201015 unknown signing key, 201510/201511 unknown receipt/block hash;
 * - HTTP 400 `{code: 400, errorMessage}` (bad parameter) and HTTP 500 `{code, errorMessage}` (node or
 *   java-sdk error, code mapped by ErrorCodeHandleUtils or 500): no `data`, so `data` is null;
 * - HTTP 404 from Spring for a route WeBASE-Front does not have: `code` is 404 and `errorMessage`
 *   names the path;
 * - HTTP 200 with a page response whose `code` is not 0 (`/event/eventLogs/list`).
 */
export class WebaseError extends Error {
  override name = "WebaseError";
  readonly httpStatus: number;
  readonly code: number;
  readonly errorMessage: string;
  readonly data: unknown;

  constructor(init: {
    httpStatus: number;
    code: number;
    errorMessage: string;
    data?: unknown;
    cause?: unknown;
  }) {
    super(`WeBASE-Front error ${init.code} (HTTP ${init.httpStatus}): ${init.errorMessage}`, {
      cause: init.cause,
    });
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.errorMessage = init.errorMessage;
    this.data = init.data ?? null;
  }
}

/** The request never got an HTTP answer (connection refused, timeout, ...). `httpStatus` is 0. */
export class WebaseNetworkError extends WebaseError {
  override name = "WebaseNetworkError";
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super({ httpStatus: 0, code: 0, errorMessage: `network error calling ${url}: ${reason}`, cause });
  }
}

/**
 * WeBASE-Front answered 2xx with a body that is not the 3.x shape of that route. The client does not
 * guess: this means the server is not the WeBASE-Front 3.x it was written against (or a stand-in
 * that drifted from it), so it is not a {@link WebaseError} and should not be handled as a chain answer.
 */
export class UnexpectedResponseError extends Error {
  override name = "UnexpectedResponseError";
  /** `METHOD /path` of the request. */
  readonly route: string;
  /** The body as received (parsed JSON or text). */
  readonly body: unknown;

  constructor(route: string, problem: string, body: unknown) {
    super(`${route}: unexpected WeBASE-Front 3.x response: ${problem}`);
    this.route = route;
    this.body = body;
  }
}

/**
 * A view call reverted: WeBASE-Front answers HTTP 200 with `["Call contract return error: <reason>"]`.
 *
 * `reason` is the `Error(string)` message (`require(cond, "msg")`, `revert("msg")`). For anything else
 * (a custom error, `Panic`, a bare `revert()`), java-sdk's RevertMessageParser does not decode the
 * revert data and WeBASE-Front sends only `call contract error of status:16`: the custom error's name
 * and arguments never reach a client through WeBASE-Front, so nothing may be built on them. Contracts
 * that need a view's refusal to be told apart must say so with an Error(string) or a return value.
 */
export class CallRevertError extends Error {
  override name = "CallRevertError";
  readonly reason: string;

  constructor(reason: string) {
    super(`call reverted: ${reason}`);
    this.reason = reason;
  }
}

/**
 * A transaction was mined but reverted (`statusOK === false`), decoded from the receipt's `output`
 * (which carries the revert data). `errorName` is the custom error's name (or "Error" / "Panic" for the
 * built-ins, or null when `output` did not decode); `errorArgs` are its typed arguments (an array that
 * also carries the named parameters as properties).
 */
export class ContractRevertError extends Error {
  override name = "ContractRevertError";
  readonly errorName: string | null;
  readonly errorArgs: unknown[];
  readonly receipt: TransactionReceipt;

  constructor(init: {
    errorName: string | null;
    errorArgs: unknown[];
    receipt: TransactionReceipt;
    message: string;
  }) {
    super(init.message);
    this.errorName = init.errorName;
    this.errorArgs = init.errorArgs;
    this.receipt = init.receipt;
  }

  /** Alias of `errorArgs` (interfaces.md calls it `args`). */
  get args(): unknown[] {
    return this.errorArgs;
  }
}
