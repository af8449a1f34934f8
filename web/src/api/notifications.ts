/**
 * A patient's notifications: break-glass on their records, refused requests to open them, grants
 * that expire within a week. The server remembers up to when they were seen.
 */
import { get, post } from "./client";
import type { Address, Hex, Page, PageQuery } from "./types";

export type NotificationKind = "break-glass" | "access-denied" | "grant-expiring";

export interface AppNotification {
  /** `<kind>:<accessId | request id | grantId>` */
  id: string;
  kind: NotificationKind;
  at: number;
  seen: boolean;
  /** An English sentence; the portal words its own from the fields below. */
  message: string;
  actor: Address;
  actorName: string | null;
  recordId: Hex | null;
  accessId: number | null;
  grantId: Hex | null;
  reason: string | null;
  expiresAt: number | null;
}

export interface NotificationPage extends Page<AppNotification> {
  unseen: number;
  seenUntil: number;
}

export const notificationsApi = {
  list: (query: PageQuery & { kind?: NotificationKind; unseen?: boolean } = {}, silent = false) =>
    get<NotificationPage>("/me/notifications", { params: query, silent }),
  markSeen: (until: number) =>
    post<{ seenUntil: number; unseen: number }>("/me/notifications/seen", { until }),
};
