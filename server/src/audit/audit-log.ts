import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Session } from "../auth/session.ts";
import { forbidden } from "../http/errors.ts";
import { isAllowed, type Action, type ResourceFacts } from "../access/policy.ts";

export const OUTCOMES = ["allowed", "denied", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface AuditEvent {
  session: Session | null;
  action: string;
  resource: string;
  outcome: Outcome;
  detail?: string;
  requestId?: string;
}

/** Who did what to which resource, and whether it was allowed. Every read of medical data goes here. */
export class AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(e: AuditEvent): Promise<void> {
    await this.prisma.auditEntry.create({
      data: {
        at: BigInt(Date.now()),
        actor: e.session?.address ?? null,
        roles: e.session?.roles.join(",") ?? "",
        action: e.action,
        resource: e.resource.slice(0, 200),
        outcome: e.outcome,
        detail: e.detail?.slice(0, 500) ?? null,
        requestId: e.requestId ?? null,
      },
    });
  }

  /** Records an action the policy allowed. */
  allowed(session: Session | null, action: string, resource: string, requestId: string, detail?: string): Promise<void> {
    return this.record({ session, action, resource, outcome: "allowed", detail, requestId });
  }

  /** Checks the policy; a denial is recorded and answered with 403, revealing nothing about the resource. */
  async authorize(
    session: Session | null,
    action: Action,
    resource: string,
    facts: ResourceFacts,
    requestId?: string,
  ): Promise<void> {
    if (isAllowed(session, action, facts)) return;
    await this.record({ session, action, resource, outcome: "denied", requestId });
    throw forbidden(`not allowed to ${action.replace(/\./g, " ")}`);
  }
}
