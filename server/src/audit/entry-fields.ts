import type { AuditEntry } from "../generated/prisma/client.ts";
import type { Outcome } from "./audit-log.ts";

// One audit_log row as every API view of it shows it; each view adds the names it knows and keeps
// the fields its audience may see.

export function entryFields(r: AuditEntry) {
  return {
    id: r.id.toString(),
    at: Number(r.at),
    actor: r.actor,
    roles: r.roles ? r.roles.split(",") : [],
    action: r.action,
    resource: r.resource,
    outcome: r.outcome as Outcome,
    detail: r.detail,
    requestId: r.requestId,
  };
}
