import { buildChallengeMessage } from "@conclave/auth/identity-challenge";
import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import { guardCredentialCheck } from "../../abuse/guard-credential-check";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import { anonymousActor, recordAudit } from "../audit/record-audit";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { createSession } from "../sessions/create-session";
import { publishRevocations } from "../sessions/publish-revocations";
import type { IssuedAccessToken } from "./issue-access-token";
import { issueAccessToken } from "./issue-access-token";

export type ChallengeLoginInput = {
  challengeId: string;
  identityPublicKey: string;
  signature: string;
  deviceName: string;
};

export type LoggedInGuardian = IssuedAccessToken & {
  guardianId: string;
  sessionId: string;
  refreshToken: string;
  sessionExpiresAt: Date;
};

// The challenge is consumed before the signature is checked, so every challenge
// gets exactly one try. The message is rebuilt from the server's own origin,
// purpose, challenge and expiry: a signature made for anything else cannot verify.
async function checkChallengeLogin(
  deps: ApiDependencies,
  meta: RequestMeta,
  input: ChallengeLoginInput,
): Promise<LoggedInGuardian> {
  const now = deps.clock.now();
  const identityPublicKey = input.identityPublicKey.toLowerCase();
  const guardian = await deps.prisma.guardian.findUnique({ where: { identityPublicKey } });
  const fail = async (reason: string): Promise<never> => {
    const details = { reason, challengeId: input.challengeId };
    const subject = guardian ? { subjectType: "GUARDIAN", subjectId: guardian.id } : {};
    await deps.prisma.$transaction(async (tx) => {
      await recordAudit(tx, meta, {
        actor: guardian ? { actorType: "GUARDIAN", actorId: guardian.id } : anonymousActor,
        action: "guardian.login_failed",
        outcome: "FAILURE",
        details,
      });
      await recordSecurityEvent(tx, now, meta, {
        kind: "guardian.login_failed",
        severity: "WARN",
        ...subject,
        details,
      });
    });
    throw new AuthenticationError(reason, "Login failed");
  };

  const { count } = await deps.prisma.identityChallenge.updateMany({
    where: { id: input.challengeId, identityPublicKey, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return fail("challenge_invalid");
  const challenge = await deps.prisma.identityChallenge.findUniqueOrThrow({
    where: { id: input.challengeId },
  });
  if (challenge.purpose !== "guardian-login") return fail("challenge_invalid");
  const message = buildChallengeMessage({
    origin: challenge.origin,
    purpose: "guardian-login",
    challenge: challenge.challenge,
    expiresAt: challenge.expiresAt,
  });
  if (!verifyIdentitySignature(identityPublicKey, message, input.signature))
    return fail("signature_invalid");
  if (guardian?.status !== "ACTIVE") return fail("guardian_unknown_or_disabled");

  const session = await deps.prisma.$transaction(async (tx) => {
    const created = await createSession(tx, deps, meta, {
      subjectType: "GUARDIAN",
      subjectId: guardian.id,
      deviceName: input.deviceName,
      withRefreshToken: true,
    });
    await recordAudit(tx, meta, {
      actor: { actorType: "GUARDIAN", actorId: guardian.id },
      action: "guardian.login",
      outcome: "SUCCESS",
      target: { type: "session", id: created.sessionId },
      details: { deviceName: input.deviceName },
    });
    return created;
  });
  publishRevocations(deps.sessionEvents, session.evictedSessionIds, "session_limit");
  if (session.refreshToken === null)
    throw new Error("guardian session opened without a refresh token");
  const access = await issueAccessToken(deps, {
    frontDoor: "guardian",
    subjectId: guardian.id,
    sessionId: session.sessionId,
    role: "GUARDIAN",
  });
  return {
    ...access,
    guardianId: guardian.id,
    sessionId: session.sessionId,
    refreshToken: session.refreshToken,
    sessionExpiresAt: session.expiresAt,
  };
}

// Failures back off per identity key and per address, and can ban the address.
export function loginWithChallenge(
  deps: ApiDependencies,
  meta: RequestMeta,
  input: ChallengeLoginInput,
): Promise<LoggedInGuardian> {
  return guardCredentialCheck(deps, input.identityPublicKey.toLowerCase(), meta, () =>
    checkChallengeLogin(deps, meta, input),
  );
}
