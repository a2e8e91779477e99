import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import type { DomainError } from "../../errors/domain-error";
import { actorOf, type Principal } from "../../rbac/principal";
import { recordSecurityEvent } from "../security-events/record-security-event";

// Reasons that point at misbehaviour rather than a slow or confused client.
const warnReasons = new Set([
  "commitment_replayed",
  "stale_attempt",
  "guardian_excluded",
  "not_a_signer",
  "invalid_round1_package",
  "invalid_round_key_signature",
  "invalid_envelope_signature",
  "sender_mismatch",
  "commitment_conflict",
  "share_conflict",
  "round1_conflict",
  "round2_conflict",
  "round3_conflict",
]);

/**
 * Records a refused guardian or admin coordination call as a security event, after the
 * call's own transaction has rolled back. Called by the tRPC builders for procedures
 * that declare `recordDenials` (trpc.ts).
 */
export async function recordCoordinationDenial(
  deps: ApiDependencies,
  meta: RequestMeta,
  principal: Principal,
  operation: string,
  error: DomainError,
): Promise<void> {
  const actor = actorOf(principal);
  await recordSecurityEvent(deps.prisma, deps.clock.now(), meta, {
    kind: "coordination_denied",
    severity: warnReasons.has(error.reason) ? "WARN" : "INFO",
    subjectType: actor.actorType,
    subjectId: actor.actorId,
    details: { operation, reason: error.reason, code: error.kind },
  });
}
