import { expect } from "vitest";
import type { ApiActor } from "../../scripts/lib/api-actor.ts";
import { expectApiError } from "./alliance.ts";
import type { Stack } from "./stack.ts";

// What the audit log holds about refusals: every 403 must leave a denied row for its caller and action.

/** How many denied attempts at `action` the audit log holds for `actor`. */
export function denials(stack: Stack, actor: ApiActor | string, action: string): Promise<number> {
  const address = typeof actor === "string" ? actor : actor.address;
  return stack.app.context.prisma.auditEntry.count({ where: { actor: address, action, outcome: "denied" } });
}

/** The actions `actor` was refused. */
export async function deniedActions(stack: Stack, actor: ApiActor): Promise<string[]> {
  const rows = await stack.app.context.prisma.auditEntry.findMany({
    where: { actor: actor.address, outcome: "denied" },
  });
  return rows.map((r) => r.action);
}

/** A 403 that leaves one more denied audit row for the caller and action. */
export async function expectDenied(
  stack: Stack,
  call: () => Promise<unknown>,
  who: ApiActor,
  action: string,
): Promise<void> {
  const before = await denials(stack, who, action);
  await expectApiError(call(), 403, "FORBIDDEN");
  expect(await denials(stack, who, action)).toBe(before + 1);
}
