import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { publishRevocations } from "./publish-revocations";
import { revokeSessions } from "./revoke-sessions";

/**
 * Ends one session for suspicious activity: revoked and audited in one transaction,
 * a CRITICAL security event, then its sockets closed through the revocation bus.
 */
export async function forceLogout(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "sessionEvents">,
  meta: RequestMeta,
  session: { sessionId: string; subjectType: "USER" | "GUARDIAN"; subjectId: string },
  cause: string,
): Promise<void> {
  const now = deps.clock.now();
  const revoked = await deps.prisma.$transaction(async (tx) => {
    const ids = await revokeSessions(tx, meta, {
      sessionIds: [session.sessionId],
      reason: "suspicious_activity",
      actor: { actorType: session.subjectType, actorId: session.subjectId },
      now,
    });
    await recordSecurityEvent(tx, now, meta, {
      kind: "session.forced_logout",
      severity: "CRITICAL",
      subjectType: session.subjectType,
      subjectId: session.subjectId,
      details: { sessionId: session.sessionId, cause },
    });
    return ids;
  });
  publishRevocations(deps.sessionEvents, revoked, "suspicious_activity");
}
