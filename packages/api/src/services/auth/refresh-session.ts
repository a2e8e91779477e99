import { constantTimeEqual } from "@conclave/auth/peppered-hash";
import { guardCredentialCheck } from "../../abuse/guard-credential-check";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import { anonymousActor, recordAudit } from "../audit/record-audit";
import { subjectRole } from "./subject-role";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { publishRevocations } from "../sessions/publish-revocations";
import { revokeSessions } from "../sessions/revoke-sessions";
import type { IssuedAccessToken } from "./issue-access-token";
import { issueAccessToken } from "./issue-access-token";
import { hashRefreshToken, refreshTokenSessionId, successorOf } from "./refresh-token-codec";

export type RefreshedTokens = IssuedAccessToken & { refreshToken: string; sessionId: string };

// Rotation on every use. The session row holds the hash of the live token, the hash
// of its predecessor and when it was rotated.
//
// Grace window: a duplicate of the predecessor arriving within refreshGraceMs
// (<= 2 s) of the rotation gets the SAME successor the first request got, recomputed
// with successorOf() (successors are HMAC-derived, never stored in the clear), plus
// a fresh access token. That covers a client that retried or raced two refreshes.
// Anything older than the live token outside that window is a spent token: if it
// provably belongs to the family (walking the derivation chain forward reaches the
// stored hash), the whole session is revoked, its sockets are told, and a critical
// security event and a token.reuse_detected audit row are written.
async function rotateRefreshToken(
  deps: ApiDependencies,
  meta: RequestMeta,
  presented: string,
): Promise<RefreshedTokens> {
  const sessionId = refreshTokenSessionId(presented);
  const now = deps.clock.now();
  const pepper = deps.peppers.refreshToken;
  if (sessionId === null) return refuse(deps, meta, null, "refresh_malformed");

  const presentedHash = hashRefreshToken(pepper, presented);
  for (let attempt = 0; attempt < 2; attempt++) {
    const session = await deps.prisma.session.findUnique({ where: { id: sessionId } });
    if (!session?.refreshHash) return refuse(deps, meta, null, "refresh_invalid");
    const subject = { subjectType: session.subjectType, subjectId: session.subjectId };
    if (session.revokedAt) return refuse(deps, meta, subject, "session_revoked");
    if (session.expiresAt <= now) return refuse(deps, meta, subject, "session_expired");
    if (now.getTime() - session.lastActivityAt.getTime() >= deps.config.sessionIdleTimeoutMs) {
      return refuse(deps, meta, subject, "session_idle");
    }

    if (constantTimeEqual(presentedHash, session.refreshHash)) {
      const successor = successorOf(pepper, presented);
      const rotated = await deps.prisma.$transaction(async (tx) => {
        const { count } = await tx.session.updateMany({
          where: { id: sessionId, refreshHash: presentedHash, revokedAt: null },
          data: {
            previousRefreshHash: presentedHash,
            refreshHash: hashRefreshToken(pepper, successor),
            rotatedAt: now,
            refreshGeneration: { increment: 1 },
            lastActivityAt: now,
          },
        });
        if (count === 1) {
          await recordAudit(tx, meta, {
            actor: { actorType: subject.subjectType, actorId: subject.subjectId },
            action: "token.refresh",
            outcome: "SUCCESS",
            target: { type: "session", id: sessionId },
            details: { generation: session.refreshGeneration + 1, grace: false },
          });
        }
        return count === 1;
      });
      // Lost a race against a concurrent refresh of the same token: look again,
      // now as the predecessor inside the grace window.
      if (!rotated) continue;
      return withAccessToken(deps, subject, sessionId, successor);
    }

    const rotatedAgoMs = session.rotatedAt ? now.getTime() - session.rotatedAt.getTime() : Infinity;
    if (
      session.previousRefreshHash &&
      constantTimeEqual(presentedHash, session.previousRefreshHash) &&
      rotatedAgoMs <= deps.config.refreshGraceMs
    ) {
      const successor = successorOf(pepper, presented);
      if (!constantTimeEqual(hashRefreshToken(pepper, successor), session.refreshHash)) break;
      await deps.prisma.$transaction((tx) =>
        recordAudit(tx, meta, {
          actor: { actorType: subject.subjectType, actorId: subject.subjectId },
          action: "token.refresh",
          outcome: "SUCCESS",
          target: { type: "session", id: sessionId },
          details: { generation: session.refreshGeneration, grace: true },
        }),
      );
      return withAccessToken(deps, subject, sessionId, successor);
    }

    if (isAncestor(pepper, presented, session.refreshHash, session.refreshGeneration)) {
      return killFamily(deps, meta, subject, sessionId, now);
    }
    return refuse(deps, meta, subject, "refresh_invalid");
  }
  return refuse(deps, meta, null, "refresh_invalid");
}

function isAncestor(pepper: string, token: string, liveHash: string, generations: number): boolean {
  let candidate = token;
  for (let step = 0; step < generations; step++) {
    candidate = successorOf(pepper, candidate);
    if (constantTimeEqual(hashRefreshToken(pepper, candidate), liveHash)) return true;
  }
  return false;
}

async function withAccessToken(
  deps: ApiDependencies,
  subject: { subjectType: "USER" | "GUARDIAN"; subjectId: string },
  sessionId: string,
  refreshToken: string,
): Promise<RefreshedTokens> {
  const role = await subjectRole(deps, subject.subjectType, subject.subjectId);
  const access = await issueAccessToken(deps, {
    frontDoor: "guardian",
    subjectId: subject.subjectId,
    sessionId,
    role,
  });
  return { ...access, refreshToken, sessionId };
}

async function killFamily(
  deps: ApiDependencies,
  meta: RequestMeta,
  subject: { subjectType: "USER" | "GUARDIAN"; subjectId: string },
  sessionId: string,
  now: Date,
): Promise<never> {
  const actor = { actorType: subject.subjectType, actorId: subject.subjectId };
  const revoked = await deps.prisma.$transaction(async (tx) => {
    await recordAudit(tx, meta, {
      actor,
      action: "token.reuse_detected",
      outcome: "DENIED",
      target: { type: "session", id: sessionId },
      details: { reason: "refresh_reuse" },
    });
    await recordSecurityEvent(tx, now, meta, {
      kind: "refresh_token_reuse",
      severity: "CRITICAL",
      ...subject,
      details: { sessionId },
    });
    return revokeSessions(tx, meta, {
      sessionIds: [sessionId],
      reason: "refresh_reuse",
      actor,
      now,
    });
  });
  publishRevocations(deps.sessionEvents, revoked, "refresh_reuse");
  throw new AuthenticationError("refresh_reused");
}

async function refuse(
  deps: ApiDependencies,
  meta: RequestMeta,
  subject: { subjectType: "USER" | "GUARDIAN"; subjectId: string } | null,
  reason: string,
): Promise<never> {
  await deps.prisma.$transaction(async (tx) => {
    await recordAudit(tx, meta, {
      actor: subject
        ? { actorType: subject.subjectType, actorId: subject.subjectId }
        : anonymousActor,
      action: "token.refresh",
      outcome: "DENIED",
      details: { reason },
    });
    await recordSecurityEvent(tx, deps.clock.now(), meta, {
      kind: "refresh_denied",
      severity: "WARN",
      ...(subject ?? {}),
      details: { reason },
    });
  });
  throw new AuthenticationError(reason);
}

// The token is the secret, so only the address counts failures.
export function refreshSession(
  deps: ApiDependencies,
  meta: RequestMeta,
  presented: string,
): Promise<RefreshedTokens> {
  return guardCredentialCheck(deps, null, meta, () => rotateRefreshToken(deps, meta, presented));
}
