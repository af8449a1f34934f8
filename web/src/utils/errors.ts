import { ElMessage } from "element-plus";
import { ApiError } from "@/api/client";
import { WalletError } from "@/stores/wallet";

/**
 * Shows an error that the HTTP client has not shown already. ApiErrors from non-silent requests were
 * toasted by the client; a cancelled password prompt is not an error.
 */
export function reportError(e: unknown, opts: { apiShown?: boolean } = { apiShown: true }): void {
  if (e instanceof WalletError && e.code === "CANCELLED") return;
  if (e instanceof ApiError && opts.apiShown) return;
  ElMessage({
    type: "error",
    message: e instanceof Error ? e.message : String(e),
    showClose: true,
    grouping: true,
  });
}
