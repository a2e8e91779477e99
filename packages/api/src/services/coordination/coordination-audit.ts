import type { AuditActionName } from "@conclave/db/audit/audit-action";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";

export type CoordinationActor = {
  actorType: "USER" | "GUARDIAN" | "API_KEY" | "ANONYMOUS" | "SYSTEM";
  actorId: string | null;
};

/** The deadline sweeper acts on its own behalf, outside any request. */
export const systemActor: CoordinationActor = { actorType: "SYSTEM", actorId: null };
export const systemMeta: RequestMeta = { ip: null, userAgent: null, requestId: "sweeper" };

export function guardianActor(guardianId: string): CoordinationActor {
  return { actorType: "GUARDIAN", actorId: guardianId };
}

export type CoordinationAuditEvent = {
  actor: CoordinationActor;
  action: AuditActionName;
  outcome: "SUCCESS" | "FAILURE" | "DENIED";
  target: { type: "vault" | "dkg_ceremony" | "transaction"; id: string };
  details?: Record<string, unknown>;
};

export async function auditCoordination(
  tx: DbTransaction,
  meta: RequestMeta,
  event: CoordinationAuditEvent,
): Promise<void> {
  await writeAudit(tx, {
    actorType: event.actor.actorType,
    actorId: event.actor.actorId,
    action: event.action,
    targetType: event.target.type,
    targetId: event.target.id,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    outcome: event.outcome,
    details: event.details ?? {},
  });
}
