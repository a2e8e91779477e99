import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { actorOf, type SessionPrincipal } from "../../rbac/principal";
import { recordAudit } from "../audit/record-audit";
import { publishRevocations } from "./publish-revocations";
import { revokeSessions } from "./revoke-sessions";

export async function logOut(
  deps: ApiDependencies,
  meta: RequestMeta,
  principal: SessionPrincipal,
): Promise<{ loggedOut: true }> {
  const now = deps.clock.now();
  const actor = actorOf(principal);
  const revoked = await deps.prisma.$transaction(async (tx) => {
    const ids = await revokeSessions(tx, meta, {
      sessionIds: [principal.sessionId],
      reason: "logout",
      actor,
      now,
    });
    await recordAudit(tx, meta, {
      actor,
      action: principal.subjectType === "GUARDIAN" ? "guardian.logout" : "user.logout",
      outcome: "SUCCESS",
      target: { type: "session", id: principal.sessionId },
    });
    return ids;
  });
  publishRevocations(deps.sessionEvents, revoked, "logout");
  return { loggedOut: true };
}
