import type { AuditActionName } from "@conclave/db/audit/audit-action";
import type { AuditDetailsField } from "@conclave/db/audit/audit-details";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";
import { countAuditAction } from "../../metrics/domain-metrics";
import type { PrincipalActor } from "../../rbac/principal";

export type AuditActor = {
  actorType: PrincipalActor["actorType"] | "ANONYMOUS" | "SYSTEM";
  actorId: string | null;
};

export const anonymousActor: AuditActor = { actorType: "ANONYMOUS", actorId: null };

/** The deadline sweeper acts on its own behalf, outside any request. */
export const systemActor: AuditActor = { actorType: "SYSTEM", actorId: null };
export const systemMeta: RequestMeta = { ip: null, userAgent: null, requestId: "sweeper" };

export function guardianActor(guardianId: string): AuditActor {
  return { actorType: "GUARDIAN", actorId: guardianId };
}

/** One audited act: its details are typed by its action (packages/db audit-details.ts). */
export type AuditEvent = {
  [Action in AuditActionName]: {
    actor: AuditActor;
    action: Action;
    outcome: "SUCCESS" | "FAILURE" | "DENIED";
    target?: { type: string; id: string };
  } & AuditDetailsField<Action>;
}[AuditActionName];

// Request facts are copied onto every row so each service names only what it did.
export async function recordAudit(
  tx: DbTransaction,
  meta: RequestMeta,
  event: AuditEvent,
): Promise<void> {
  const { actor, target, ...rest } = event;
  await writeAudit(tx, {
    ...rest,
    actorType: actor.actorType,
    actorId: actor.actorId,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
  });
  countAuditAction(event.action);
}
