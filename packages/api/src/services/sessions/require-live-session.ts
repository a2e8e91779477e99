import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import { publishRevocations } from "./publish-revocations";
import { revokeSessions } from "./revoke-sessions";

export type LiveSession = {
  id: string;
  subjectType: "USER" | "GUARDIAN";
  subjectId: string;
};

// Consulted on every authenticated call, so a revocation takes effect at once.
// Last activity is written at most once per touch interval to keep reads cheap; a
// check the subject did not ask for (delivering an event) passes `touch: false`.
export async function requireLiveSession(
  deps: ApiDependencies,
  meta: RequestMeta,
  sessionId: string,
  options: { touch?: boolean } = {},
): Promise<LiveSession> {
  const now = deps.clock.now();
  const session = await deps.prisma.session.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      subjectType: true,
      subjectId: true,
      revokedAt: true,
      expiresAt: true,
      lastActivityAt: true,
    },
  });
  if (!session || session.revokedAt) throw new AuthenticationError("session_revoked");
  if (session.expiresAt <= now) throw new AuthenticationError("session_expired");
  const idleMs = now.getTime() - session.lastActivityAt.getTime();
  if (idleMs >= deps.config.sessionIdleTimeoutMs) {
    const revoked = await deps.prisma.$transaction((tx) =>
      revokeSessions(tx, meta, {
        sessionIds: [session.id],
        reason: "idle_timeout",
        actor: { actorType: session.subjectType, actorId: session.subjectId },
        now,
      }),
    );
    publishRevocations(deps.sessionEvents, revoked, "idle_timeout");
    throw new AuthenticationError("session_idle");
  }
  if (options.touch !== false && idleMs >= deps.config.sessionActivityTouchMs) {
    await deps.prisma.session.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { lastActivityAt: now },
    });
  }
  return { id: session.id, subjectType: session.subjectType, subjectId: session.subjectId };
}
