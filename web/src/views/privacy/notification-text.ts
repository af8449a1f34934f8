/**
 * A notification in the portal's words. The server's `message` is an English sentence; the portal
 * words its own from the kind, who, which record, why and until when.
 */
import type { AppNotification } from "@/api/notifications";
import { i18n } from "@/locales";
import { formatDateTime, shortHex } from "@/utils/format";

export function notificationText(n: AppNotification, titleOf?: (recordId: string) => string): string {
  const { t, te } = i18n.global;
  const reasonKey = `privacy.notifyReason.${n.reason ?? ""}`;
  return t(`privacy.notify.${n.kind}`, {
    who: n.actorName ?? shortHex(n.actor),
    record: n.recordId ? (titleOf ? titleOf(n.recordId) : shortHex(n.recordId, 8, 4)) : "",
    reason: n.reason ? (te(reasonKey) ? t(reasonKey) : n.reason) : "",
    date: formatDateTime(n.expiresAt),
  });
}

/** Where a notification leads: the access log of its record, or the grants. */
export function notificationTarget(n: AppNotification): { name: string; query?: Record<string, string> } {
  if (n.kind === "grant-expiring") return { name: "patient-grants" };
  return { name: "patient-access-log", query: n.recordId ? { recordId: n.recordId } : {} };
}
