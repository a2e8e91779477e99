import type { ApiDependencies } from "../../context/api-dependencies";
import { trackAuthAttempt } from "../../abuse/track-auth-attempt";
import type { RequestMeta } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import { ConflictError } from "../../errors/conflict-error";
import { DomainError } from "../../errors/domain-error";
import { IdentitySignatureError } from "../../errors/identity-signature-error";
import { anonymousActor, recordAudit } from "../audit/record-audit";
import { redeemInvitation } from "../invitations/redeem-invitation";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { createSession } from "../sessions/create-session";
import { publishRevocations } from "../sessions/publish-revocations";
import { onGuardianJoined } from "../vaults/on-guardian-joined";
import type { IssuedAccessToken } from "./issue-access-token";
import { issueAccessToken } from "./issue-access-token";
import { verifyJoinProof } from "./verify-join-proof";
import { lockVault } from "../coordination/lock-rows";

export type JoinGuardianInput = {
  vaultId: string;
  code: string;
  identityPublicKey: string;
  /** A `guardian-join` challenge from issueIdentityChallenge, signed (verify-join-proof). */
  challengeId?: string | undefined;
  signature?: string | undefined;
  displayName: string;
  deviceName: string;
};

export type JoinedGuardian = IssuedAccessToken & {
  guardianId: string;
  vaultId: string;
  sessionId: string;
  refreshToken: string;
  sessionExpiresAt: Date;
};

// First the proof of possession of the identity key, then one transaction: claim the
// invitation, create (or reuse, for a second vault) the guardian, its membership and
// a session. Any failure rolls all of it back, so a refused join leaves the invitation
// usable.
async function joinGuardianUnguarded(
  deps: ApiDependencies,
  meta: RequestMeta,
  input: JoinGuardianInput,
): Promise<JoinedGuardian> {
  const now = deps.clock.now();
  const identityPublicKey = input.identityPublicKey.toLowerCase();
  try {
    await verifyJoinProof(deps, input);
    const joined = await deps.prisma.$transaction(async (tx) => {
      // The vault row first, as in every coordination transaction: concurrent joins
      // otherwise each hold a key-share lock on it (the membership's foreign key) and
      // deadlock when onGuardianJoined asks for the update lock.
      await lockVault(tx, input.vaultId);
      const invitation = await redeemInvitation(tx, {
        pepper: deps.peppers.inviteCode,
        code: input.code,
        now,
        vaultId: input.vaultId,
      });
      // One identity per person across vaults: a known key joins another vault as the
      // same guardian. That is safe only because verifyJoinProof has shown the caller
      // holds this key; a public key alone never names a guardian.
      const existing = await tx.guardian.findUnique({ where: { identityPublicKey } });
      if (existing && existing.status !== "ACTIVE")
        throw new AuthenticationError("guardian_disabled");
      const guardian =
        existing ??
        (await tx.guardian.create({ data: { identityPublicKey, displayName: input.displayName } }));
      const member = await tx.vaultMembership.findUnique({
        where: { vaultId_guardianId: { vaultId: invitation.vaultId, guardianId: guardian.id } },
      });
      if (member)
        throw new ConflictError("already_a_member", "This identity already belongs to the vault");
      await tx.vaultMembership.create({
        data: {
          vaultId: invitation.vaultId,
          guardianId: guardian.id,
          role: invitation.role,
          invitationId: invitation.id,
        },
      });
      await tx.invitation.update({
        where: { id: invitation.id },
        data: { usedByGuardianId: guardian.id },
      });
      await onGuardianJoined(tx, deps, meta, invitation.vaultId);
      const session = await createSession(tx, deps, meta, {
        subjectType: "GUARDIAN",
        subjectId: guardian.id,
        deviceName: input.deviceName,
        withRefreshToken: true,
      });
      const actor = { actorType: "GUARDIAN" as const, actorId: guardian.id };
      await recordAudit(tx, meta, {
        actor,
        action: "invitation.redeem",
        outcome: "SUCCESS",
        target: { type: "invitation", id: invitation.id },
        details: { vaultId: invitation.vaultId },
      });
      await recordAudit(tx, meta, {
        actor,
        action: "guardian.join",
        outcome: "SUCCESS",
        target: { type: "vault", id: invitation.vaultId },
        details: {
          sessionId: session.sessionId,
          newGuardian: existing === null,
          deviceName: input.deviceName,
        },
      });
      return { guardianId: guardian.id, vaultId: invitation.vaultId, session };
    });
    publishRevocations(deps.sessionEvents, joined.session.evictedSessionIds, "session_limit");
    const refreshToken = joined.session.refreshToken;
    if (refreshToken === null) throw new Error("guardian session opened without a refresh token");
    const access = await issueAccessToken(deps, {
      frontDoor: "guardian",
      subjectId: joined.guardianId,
      sessionId: joined.session.sessionId,
      role: "GUARDIAN",
    });
    return {
      ...access,
      guardianId: joined.guardianId,
      vaultId: joined.vaultId,
      sessionId: joined.session.sessionId,
      refreshToken,
      sessionExpiresAt: joined.session.expiresAt,
    };
  } catch (error) {
    if (error instanceof DomainError) await recordJoinDenied(deps, meta, now, input, error);
    throw error;
  }
}

// A failed proof for a key that already names a guardian is someone trying to become
// that guardian (its public key is visible to co-members): CRITICAL, filed against
// the targeted guardian. The guardian's sessions are left alone, since anyone who
// knows the public key could otherwise log the victim out at will. A failed proof
// for an unknown key, or any other refusal, is an ordinary denied join.
async function recordJoinDenied(
  deps: ApiDependencies,
  meta: RequestMeta,
  now: Date,
  input: JoinGuardianInput,
  error: DomainError,
): Promise<void> {
  const targeted =
    error instanceof IdentitySignatureError
      ? await deps.prisma.guardian.findUnique({
          where: { identityPublicKey: input.identityPublicKey.toLowerCase() },
          select: { id: true },
        })
      : null;
  const details = {
    reason: error.reason,
    vaultId: input.vaultId,
    challengeId: input.challengeId ?? null,
  };
  await deps.prisma.$transaction(async (tx) => {
    await recordAudit(tx, meta, {
      actor: anonymousActor,
      action: "guardian.join",
      outcome: "DENIED",
      ...(targeted ? { target: { type: "guardian", id: targeted.id } } : {}),
      details,
    });
    await recordSecurityEvent(
      tx,
      now,
      meta,
      targeted
        ? {
            kind: "guardian.join_takeover_attempt",
            severity: "CRITICAL",
            subjectType: "GUARDIAN",
            subjectId: targeted.id,
            details,
          }
        : { kind: "guardian_join_denied", severity: "WARN", details },
    );
  });
}

// Wrong invitation codes and failed identity proofs back off per vault and per
// address, and can ban the address.
export function joinGuardian(
  deps: ApiDependencies,
  meta: RequestMeta,
  input: JoinGuardianInput,
): Promise<JoinedGuardian> {
  return trackAuthAttempt(
    deps.abuse.authFailures,
    { identifier: `join:${input.vaultId}`, meta },
    () => joinGuardianUnguarded(deps, meta, input),
    (error) => error instanceof AuthenticationError || error instanceof IdentitySignatureError,
  );
}
