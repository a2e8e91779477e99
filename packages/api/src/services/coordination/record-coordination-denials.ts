import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { DomainError } from "../../errors/domain-error";
import { actorOf, type Principal } from "../../rbac/principal";
import { recordSecurityEvent } from "../security/record-security-event";

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
 * Runs a guardian's or admin's coordination call; when it is refused, the refusal is
 * recorded as a security event after the call's own transaction has rolled back.
 */
export async function recordCoordinationDenials<T>(
  deps: ApiDependencies,
  meta: RequestMeta,
  principal: Principal,
  operation: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError) {
      const actor = actorOf(principal);
      await recordSecurityEvent(deps.prisma, deps.clock.now(), meta, {
        kind: "coordination_denied",
        severity: warnReasons.has(error.reason) ? "WARN" : "INFO",
        subjectType: actor.actorType,
        subjectId: actor.actorId,
        details: { operation, reason: error.reason, code: error.kind },
      });
    }
    throw error;
  }
}
