import type { IdentityPurpose } from "@conclave/auth/identity-challenge";
import { z } from "zod";
import { AuthenticationError } from "../../errors/authentication-error";
import {
  entityId,
  identityPublicKeyHex,
  invitationCode,
  refreshToken,
  signatureHex,
  displayText,
  accessToken,
} from "../../schemas/identity-input-schemas";
import { isoDate, issuedTokensOutput } from "../../schemas/identity-output-schemas";
import { joinGuardian } from "../../services/auth/join-guardian";
import { issueIdentityChallenge } from "../../services/auth/issue-identity-challenge";
import { loginWithChallenge } from "../../services/auth/login-with-challenge";
import { refreshSession } from "../../services/auth/refresh-session";
import { verifyAccess } from "../../services/auth/verify-access";
import { authenticatedProcedure, publicProcedure, router } from "../../trpc";
import { logoutProcedure } from "../sessions/logout-procedure";

const challengeOutput = <P extends IdentityPurpose>(purpose: P) =>
  z.strictObject({
    challengeId: z.uuid(),
    challenge: z.string(),
    origin: z.string(),
    purpose: z.literal(purpose),
    expiresAt: isoDate,
  });

export const authRouter = router({
  // Step one of a join: a single-use challenge the client signs, together with the
  // vault and invitation it redeems, to prove it holds the identity key it presents.
  issueJoinChallenge: publicProcedure("joinChallenge")
    .input(z.strictObject({ identityPublicKey: identityPublicKeyHex }))
    .output(challengeOutput("guardian-join"))
    .mutation(({ ctx, input }) => issueIdentityChallenge(ctx.deps, "guardian-join", input)),

  join: publicProcedure("join")
    .input(
      z.strictObject({
        vaultId: entityId,
        code: invitationCode,
        identityPublicKey: identityPublicKeyHex,
        // Optional here so that a join without a proof reaches the service, which refuses
        // it like a wrong one: audited, counted toward backoff, and a CRITICAL takeover
        // attempt when the key already names a guardian.
        challengeId: entityId.optional(),
        signature: signatureHex.optional(),
        displayName: displayText(100),
        deviceName: displayText(100),
      }),
    )
    .output(
      issuedTokensOutput.extend({
        guardianId: z.uuid(),
        vaultId: z.uuid(),
        sessionExpiresAt: isoDate,
      }),
    )
    .mutation(({ ctx, input }) => joinGuardian(ctx.deps, ctx.request, input)),

  issueChallenge: publicProcedure("challenge")
    .input(z.strictObject({ identityPublicKey: identityPublicKeyHex }))
    .output(challengeOutput("guardian-login"))
    .mutation(({ ctx, input }) => issueIdentityChallenge(ctx.deps, "guardian-login", input)),

  login: publicProcedure("login")
    .input(
      z.strictObject({
        challengeId: entityId,
        identityPublicKey: identityPublicKeyHex,
        signature: signatureHex,
        deviceName: displayText(100),
      }),
    )
    .output(issuedTokensOutput.extend({ guardianId: z.uuid(), sessionExpiresAt: isoDate }))
    .mutation(({ ctx, input }) => loginWithChallenge(ctx.deps, ctx.request, input)),

  refresh: publicProcedure("refresh")
    .input(z.strictObject({ refreshToken }))
    .output(issuedTokensOutput)
    .mutation(({ ctx, input }) => refreshSession(ctx.deps, ctx.request, input.refreshToken)),

  logout: logoutProcedure,

  // Over WSS one context serves a whole socket: a client renews its access token
  // in place instead of reconnecting. The new token must belong to the same session.
  renewSocketToken: authenticatedProcedure
    .input(z.strictObject({ accessToken }))
    .output(z.strictObject({ accessTokenExpiresAt: isoDate }))
    .mutation(async ({ ctx, input }) => {
      const verified = await verifyAccess(ctx.deps, ctx.request.frontDoor, input.accessToken);
      if (verified.sessionId !== ctx.principal.sessionId)
        throw new AuthenticationError("session_mismatch");
      ctx.connection.credentials = { kind: "bearer", token: input.accessToken };
      ctx.connection.onRenewed?.(verified.expiresAt);
      return { accessTokenExpiresAt: verified.expiresAt };
    }),
});
