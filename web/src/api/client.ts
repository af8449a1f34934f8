/**
 * The one HTTP client of the portal: base `/api`, the session's bearer token, and the server's error
 * envelope `{ error: { code, message, details } }` turned into an `ApiError` (shown with ElMessage
 * unless the caller asked for `silent`).
 */
import axios, { AxiosError, type AxiosRequestConfig } from "axios";
import { ElMessage } from "element-plus";
import { i18n } from "@/locales";

declare module "axios" {
  interface AxiosRequestConfig {
    /** Do not show the error toast; the caller shows the error itself. */
    silent?: boolean;
  }
}

export interface ApiErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field errors keyed by the first segment of their path (`profile.name` → also `name`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const path = String(d.path ?? "");
      if (!path) continue;
      out[path] ??= d.message;
      const last = path.split(".").pop();
      if (last) out[last] ??= d.message;
    }
    return out;
  }
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; details?: unknown };
}

function toDetails(raw: unknown): ApiErrorDetail[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((d): d is { path?: unknown; message?: unknown } => typeof d === "object" && d !== null)
    .map((d) => ({
      path: Array.isArray(d.path) ? d.path.join(".") : String(d.path ?? ""),
      message: String(d.message ?? ""),
    }));
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const t = i18n.global.t;
  if (err instanceof AxiosError) {
    const status = err.response?.status ?? 0;
    const body = err.response?.data as ErrorEnvelope | undefined;
    if (body && typeof body === "object" && body.error) {
      const code = body.error.code ?? "ERROR";
      // The server's words are English; this denial is one people must understand, so it is the portal's.
      const message = code === "NO_KEY_FOR_READER" ? t("error.noKeyForReader") : body.error.message;
      return new ApiError(status, code, message ?? t("error.unknown"), toDetails(body.error.details));
    }
    if (status === 0 || status === 502 || status === 503 || status === 504) {
      return new ApiError(status, "NETWORK", t("error.network"));
    }
    return new ApiError(status, `HTTP_${status}`, t("error.http", { status }));
  }
  return new ApiError(0, "ERROR", err instanceof Error ? err.message : String(err));
}

let tokenSource: () => string | null = () => null;
let unauthorizedHandler: () => void = () => {};

/** The session store registers where the token comes from and what a 401 does (no import cycle). */
export function configureClient(opts: { token: () => string | null; onUnauthorized: () => void }): void {
  tokenSource = opts.token;
  unauthorizedHandler = opts.onUnauthorized;
}

export const http = axios.create({
  baseURL: "/api",
  timeout: 60_000,
  headers: { "Content-Type": "application/json" },
});

http.interceptors.request.use((config) => {
  const token = tokenSource();
  if (token) config.headers.set("Authorization", `Bearer ${token}`);
  return config;
});

http.interceptors.response.use(
  (res) => res,
  (err: unknown) => {
    const apiError = toApiError(err);
    const config = err instanceof AxiosError ? err.config : undefined;
    const isAuthCall = config?.url?.startsWith("/auth/") ?? false;
    if (apiError.status === 401 && !isAuthCall) {
      unauthorizedHandler();
    }
    if (!config?.silent) {
      ElMessage({ type: "error", message: apiError.message, grouping: true, showClose: true });
    }
    return Promise.reject(apiError);
  },
);

export async function get<T>(url: string, config?: AxiosRequestConfig): Promise<T> {
  return (await http.get<T>(url, config)).data;
}

export async function post<T>(url: string, body?: unknown, config?: AxiosRequestConfig): Promise<T> {
  return (await http.post<T>(url, body ?? {}, config)).data;
}
