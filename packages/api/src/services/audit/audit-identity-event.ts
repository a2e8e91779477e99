import type { AuditActionName } from "@conclave/db/audit/audit-action";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";

export type AuditActor = {
  actorType: "USER" | "GUARDIAN" | "API_KEY" | "ANONYMOUS";
  actorId: string | null;
};

export type IdentityAuditEvent = {
  actor: AuditActor;
  action: AuditActionName;
  outcome: "SUCCESS" | "FAILURE" | "DENIED";
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
};

// Request facts are copied onto every row so each service names only what it did.
export async function auditIdentityEvent(
  tx: DbTransaction,
  meta: RequestMeta,
  event: IdentityAuditEvent,
): Promise<void> {
  await writeAudit(tx, {
    actorType: event.actor.actorType,
    actorId: event.actor.actorId,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    outcome: event.outcome,
    details: event.details ?? {},
  });
}

export const anonymousActor: AuditActor = { actorType: "ANONYMOUS", actorId: null };
