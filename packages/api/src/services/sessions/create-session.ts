import { randomUUID } from "node:crypto";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import type { SubjectType } from "../../rbac/principal";
import { hashRefreshToken, newRefreshToken } from "../auth/refresh-token-codec";
import { liveSessionWhere } from "./active-session-window";
import { lockSubjectSessions } from "./lock-subject-sessions";
import { revokeSessions } from "./revoke-sessions";

export type CreatedSession = {
  sessionId: string;
  expiresAt: Date;
  refreshToken: string | null;
  /** Sessions evicted by the per-subject cap; publish them after commit. */
  evictedSessionIds: string[];
};

// Opens a session inside the caller's transaction. Beyond the cap the least
// recently active live sessions are revoked first, with the reason recorded.
export async function createSession(
  tx: DbTransaction,
  deps: Pick<ApiDependencies, "clock" | "config" | "peppers">,
  meta: RequestMeta,
  input: {
    subjectType: SubjectType;
    subjectId: string;
    deviceName: string | null;
    withRefreshToken: boolean;
  },
): Promise<CreatedSession> {
  const now = deps.clock.now();
  await lockSubjectSessions(tx, input.subjectType, input.subjectId);
  const live = await tx.session.findMany({
    where: {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      ...liveSessionWhere(deps.config, now),
    },
    orderBy: [{ lastActivityAt: "asc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  const excess = live.length - deps.config.maxSessionsPerSubject + 1;
  const evictedSessionIds =
    excess > 0
      ? await revokeSessions(tx, meta, {
          sessionIds: live.slice(0, excess).map((session) => session.id),
          reason: "session_limit",
          actor: { actorType: input.subjectType, actorId: input.subjectId },
          now,
        })
      : [];

  const sessionId = randomUUID();
  const refreshToken = input.withRefreshToken ? newRefreshToken(sessionId) : null;
  const expiresAt = new Date(now.getTime() + deps.config.sessionAbsoluteTtlMs);
  await tx.session.create({
    data: {
      id: sessionId,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      refreshHash:
        refreshToken === null ? null : hashRefreshToken(deps.peppers.refreshToken, refreshToken),
      ip: meta.ip,
      userAgent: meta.userAgent,
      deviceName: input.deviceName,
      createdAt: now,
      lastActivityAt: now,
      expiresAt,
    },
  });
  return { sessionId, expiresAt, refreshToken, evictedSessionIds };
}
