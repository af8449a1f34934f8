// What every route needs: the chain, the keys and the one group this devnode serves.
import type { Chain } from "./chain.ts";
import { Code, FrontError } from "./errors.ts";
import type { KeyStore } from "./keystore.ts";
import type { Logger } from "./logger.ts";

export interface App {
  chain: Chain;
  keys: KeyStore;
  groupId: string;
  logger: Logger;
}

/** WeBASE-Front answers an unknown group with 101004 "No group belongs to this groupId". */
export function requireGroup(app: App, groupId: unknown): void {
  if (groupId === undefined || groupId === null || String(groupId) !== app.groupId) {
    throw new FrontError(Code.GROUP_NOT_FOUND, "No group belongs to this groupId", null);
  }
}

export const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
export const HASH = /^0x[0-9a-fA-F]{64}$/;

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new FrontError(400, "request body must be a JSON object", null, 400);
  }
  return body as Record<string, unknown>;
}

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}
