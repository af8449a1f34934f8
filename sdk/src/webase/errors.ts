import type { TransactionReceipt } from "./types.ts";

/**
 * A WeBASE-Front error response: non-2xx with `{code, errorMessage, data}` (422 business errors,
 * 400 bad parameters, 500 node/sdk errors), or a 2xx `BaseResponse` whose `code` is not 0.
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
 * A view call reverted: WeBASE-Front answers HTTP 200 with `["Call contract return error: <reason>"]`.
 * When the reason carries revert data that the contract ABI decodes, `errorName`/`errorArgs` are set.
 */
export class CallRevertError extends Error {
  override name = "CallRevertError";
  readonly reason: string;
  /** Raw revert data found in the reason (0x-hex), if any. */
  readonly revertData: string | null;
  errorName: string | null = null;
  errorArgs: unknown[] = [];

  constructor(reason: string) {
    super(`call reverted: ${reason}`);
    this.reason = reason;
    const m = /0x[0-9a-fA-F]{8,}/.exec(reason);
    this.revertData = m ? m[0].toLowerCase() : null;
  }
}

/**
 * A transaction was mined but reverted (`statusOK === false`). `errorName` is the custom error's
 * name (or "Error" / "Panic" for the built-ins, or null when `output` did not decode);
 * `errorArgs` are its typed arguments (an array that also carries the named parameters as properties).
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
