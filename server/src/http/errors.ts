import type { ErrorRequestHandler } from "express";
import type { Logger } from "pino";

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error meant for the caller: its status, a stable code and, for bad input, the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new ApiError(400, "VALIDATION_FAILED", message, details);
export const unauthorized = (message = "sign in first") => new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message = "not allowed") => new ApiError(403, "FORBIDDEN", message);
export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what} not found`);
export const conflict = (message: string) => new ApiError(409, "CONFLICT", message);

/** The one error envelope: `{ error: { code, message, details? } }`, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    // body-parser's errors carry a status and a type.
    const status = (err as { status?: number }).status;
    const type = (err as { type?: string }).type;
    if (type === "entity.too.large") {
      res.status(413).json({ error: { code: "PAYLOAD_TOO_LARGE", message: "request body is too large" } });
      return;
    }
    if (type === "entity.parse.failed") {
      res.status(400).json({
        error: { code: "MALFORMED_JSON", message: "request body is not valid JSON", details: [{ path: "body", message: "invalid JSON" }] },
      });
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: "BAD_REQUEST", message: (err as Error).message } });
      return;
    }
    logger.error({ err, reqId: req.id }, "unhandled error");
    res.status(500).json({ error: { code: "INTERNAL", message: "internal error" } });
  };
}
