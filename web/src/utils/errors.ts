import { ElMessage } from "element-plus";
import { ApiError } from "@/api/client";
import { WalletError } from "@/stores/wallet";

/**
 * Shows an error that the HTTP client has not shown already. ApiErrors from non-silent requests were
 * toasted by the client; a cancelled password prompt is not an error.
 */
export function reportError(e: unknown, opts: { apiShown?: boolean } = { apiShown: true }): void {
  if (isCancelled(e)) return;
  if (e instanceof ApiError && opts.apiShown) return;
  ElMessage({
    type: "error",
    message: e instanceof Error ? e.message : String(e),
    showClose: true,
    grouping: true,
  });
}

/** Whether the user closed the password prompt instead of unlocking their key. */
export function isCancelled(e: unknown): boolean {
  return e instanceof WalletError && e.code === "CANCELLED";
}

/** The field errors a failed request carries (see `ApiError.fieldErrors`); none for any other failure. */
export function fieldErrorsOf(e: unknown): Record<string, string> {
  return e instanceof ApiError ? e.fieldErrors() : {};
}

/** Empties every message of a form's error map (before validating again). */
export function clearErrors(errors: Record<string, string>): void {
  for (const k of Object.keys(errors)) errors[k] = "";
}
