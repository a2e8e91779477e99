import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { NotFoundError } from "../../errors/not-found-error";
import { actorOf, type SessionPrincipal } from "../../rbac/principal";
import { liveSessionWhere } from "./active-session-window";
import { publishRevocations } from "./publish-revocations";
import { revokeSessions } from "./revoke-sessions";

export type OwnRevocation = { which: "one"; sessionId: string } | { which: "others" };

// A subject revokes one of its own sessions or all the others. Another subject's
// session id is "not found", never "forbidden".
export async function revokeOwnSessions(
  deps: ApiDependencies,
  meta: RequestMeta,
  principal: SessionPrincipal,
  request: OwnRevocation,
): Promise<{ revokedSessionIds: string[] }> {
  const now = deps.clock.now();
  const own = { subjectType: principal.subjectType, subjectId: principal.subjectId };
  const actor = actorOf(principal);
  const revoked = await deps.prisma.$transaction(async (tx) => {
    const targets = await tx.session.findMany({
      where: {
        ...own,
        ...liveSessionWhere(deps.config, now),
        ...(request.which === "one"
          ? { id: request.sessionId }
          : { id: { not: principal.sessionId } }),
      },
      select: { id: true },
    });
    if (request.which === "one" && targets.length === 0)
      throw new NotFoundError("session_not_found");
    return revokeSessions(tx, meta, {
      sessionIds: targets.map((target) => target.id),
      reason: "revoked_by_subject",
      actor,
      now,
    });
  });
  publishRevocations(deps.sessionEvents, revoked, "revoked_by_subject");
  return { revokedSessionIds: revoked };
}
