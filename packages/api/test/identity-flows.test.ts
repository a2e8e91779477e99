import { buildChallengeMessage, invitationBinding } from "@conclave/auth/identity-challenge";
import { ed25519 } from "@noble/curves/ed25519.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError } from "../src/errors/authentication-error";
import { revokeApiKey } from "../src/services/api-keys/revoke-api-key";
import { authenticate } from "../src/services/auth/authenticate";
import { revokeInvitation } from "../src/services/invitations/revoke-invitation";
import { issueIdentityChallenge } from "../src/services/auth/issue-identity-challenge";
import { loginWithChallenge } from "../src/services/auth/login-with-challenge";
import { listSubjectSessions } from "../src/services/sessions/list-subject-sessions";
import { logOut } from "../src/services/sessions/log-out";
import { revokeOwnSessions } from "../src/services/sessions/revoke-own-sessions";
import { refreshSession } from "../src/services/auth/refresh-session";
import {
  apiKey,
  createUser,
  createVault,
  invite,
  joinNewGuardian,
  meta,
  newIdentity,
  userSession,
} from "./support/fixtures";
import { signedJoin } from "./support/signed-join";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

const guardianDoor = { ...meta(), frontDoor: "guardian" as const, transport: "https" as const };
const reasonOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof AuthenticationError ? error.reason : String(error)),
  );

describe("identity flows", () => {
  let api: TestApi;
  let adminId: string;
  let vaultA: string;
  let vaultB: string;
  const secrets: string[] = [];
  const revokedOnBus: string[] = [];

  beforeAll(async () => {
    api = await createTestApi();
    adminId = (await createUser(api, "ADMIN")).id;
    vaultA = (await createVault(api, adminId, "A")).id;
    vaultB = (await createVault(api, adminId, "B")).id;
    api.deps.sessionEvents.subscribe(({ sessionId }) => revokedOnBus.push(sessionId));
  });
  afterAll(async () => api.close());

  it("join returns tokens that authenticate, and the access token is no refresh token nor the reverse", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA);
    secrets.push(joined.code, joined.accessToken, joined.refreshToken);
    const principal = await authenticate(api.deps, guardianDoor, {
      kind: "bearer",
      token: joined.accessToken,
    });
    expect(principal).toMatchObject({
      kind: "session",
      subjectId: joined.guardianId,
      role: "GUARDIAN",
    });
    expect(
      await reasonOf(
        authenticate(api.deps, guardianDoor, { kind: "bearer", token: joined.refreshToken }),
      ),
    ).toBe("token_malformed");
    expect(await reasonOf(refreshSession(api.deps, meta(), joined.accessToken))).toBe(
      "refresh_malformed",
    );
    // The console door refuses a guardian-audience token.
    const consoleDoor = { ...guardianDoor, frontDoor: "console" as const };
    expect(
      await reasonOf(
        authenticate(api.deps, consoleDoor, { kind: "bearer", token: joined.accessToken }),
      ),
    ).toBe("token_wrong_audience");
  });

  it("refresh rotates, the grace window returns the same successor, and later reuse kills the family", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA);
    const first = await refreshSession(api.deps, meta(), joined.refreshToken);
    expect(first.refreshToken).not.toBe(joined.refreshToken);
    secrets.push(first.refreshToken, first.accessToken);

    api.clock.advance(1_500);
    const duplicate = await refreshSession(api.deps, meta(), joined.refreshToken);
    expect(duplicate.refreshToken).toBe(first.refreshToken);

    const second = await refreshSession(api.deps, meta(), first.refreshToken);
    secrets.push(second.refreshToken);
    api.clock.advance(3_000);
    expect(await reasonOf(refreshSession(api.deps, meta(), joined.refreshToken))).toBe(
      "refresh_reused",
    );

    const session = await api.prisma.session.findUniqueOrThrow({ where: { id: joined.sessionId } });
    expect(session.revokeReason).toBe("refresh_reuse");
    expect(revokedOnBus).toContain(joined.sessionId);
    expect(await reasonOf(refreshSession(api.deps, meta(), second.refreshToken))).toBe(
      "session_revoked",
    );
    expect(
      await reasonOf(
        authenticate(api.deps, guardianDoor, { kind: "bearer", token: second.accessToken }),
      ),
    ).toBe("session_revoked");
    const events = await api.prisma.securityEvent.findMany({
      where: { kind: "refresh_token_reuse" },
    });
    expect(events).toHaveLength(1);
  });

  it("concurrent refreshes of one token get the same successor and keep the family alive", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA);
    const results = await Promise.all(
      [1, 2, 3].map(() => refreshSession(api.deps, meta(), joined.refreshToken)),
    );
    expect(new Set(results.map((result) => result.refreshToken)).size).toBe(1);
    const session = await api.prisma.session.findUniqueOrThrow({ where: { id: joined.sessionId } });
    expect(session.revokedAt).toBeNull();
  });

  it("a guessed token naming a real session is refused without killing it", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA);
    const forged = `${joined.sessionId}.${"A".repeat(43)}`;
    expect(await reasonOf(refreshSession(api.deps, meta(), forged))).toBe("refresh_invalid");
    const session = await api.prisma.session.findUniqueOrThrow({ where: { id: joined.sessionId } });
    expect(session.revokedAt).toBeNull();
  });

  it("invitations: two concurrent redemptions, exactly one wins; reused, expired and other-vault codes fail", async () => {
    const invitation = await invite(api, adminId, vaultA);
    secrets.push(invitation.code);
    const attempts = await Promise.allSettled(
      [1, 2].map(() =>
        signedJoin(api, meta(), {
          vaultId: vaultA,
          code: invitation.code,
          identity: newIdentity(),
        }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
    const join = (vaultId: string, code: string) =>
      reasonOf(signedJoin(api, meta(), { vaultId, code, identity: newIdentity() }));
    expect(await join(vaultA, invitation.code)).toBe("invitation_invalid");

    const forB = await invite(api, adminId, vaultB);
    expect(await join(vaultA, forB.code)).toBe("invitation_invalid");
    expect(await join(vaultB, forB.code)).toBe("resolved");

    const revoked = await invite(api, adminId, vaultA);
    await revokeInvitation(
      api.deps,
      meta(),
      { actorType: "USER", actorId: adminId },
      { invitationId: revoked.id },
    );
    expect(await join(vaultA, revoked.code)).toBe("invitation_invalid");

    const expiring = await invite(api, adminId, vaultA);
    api.clock.advance(api.deps.config.invitationTtlMs + 1);
    expect(await join(vaultA, expiring.code)).toBe("invitation_invalid");
  });

  it("sessions: cap of 3 evicts the least recently active, idle timeout, list and revoke", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA, "first");
    const identity = joined.identity;
    const login = async (deviceName: string) => {
      api.clock.advance(61_000);
      const challenge = await issueIdentityChallenge(api.deps, "guardian-login", {
        identityPublicKey: identity.publicKeyHex,
      });
      const message = buildChallengeMessage({ ...challenge, purpose: "guardian-login" });
      const signature = Buffer.from(ed25519.sign(message, identity.secretKey)).toString("hex");
      return loginWithChallenge(api.deps, meta(), {
        challengeId: challenge.challengeId,
        identityPublicKey: identity.publicKeyHex,
        signature,
        deviceName,
      });
    };
    const second = await login("second");
    const third = await login("third");
    const fourth = await login("fourth");
    const first = await api.prisma.session.findUniqueOrThrow({ where: { id: joined.sessionId } });
    expect(first.revokeReason).toBe("session_limit");
    expect(revokedOnBus).toContain(joined.sessionId);

    const principal = await authenticate(api.deps, guardianDoor, {
      kind: "bearer",
      token: fourth.accessToken,
    });
    if (principal?.kind !== "session") throw new Error("expected a session principal");
    const listed = await listSubjectSessions(api.deps, {
      subjectType: "GUARDIAN",
      subjectId: joined.guardianId,
      currentSessionId: principal.sessionId,
    });
    expect(listed.map((session) => session.deviceName).sort()).toEqual([
      "fourth",
      "second",
      "third",
    ]);
    expect(
      listed.filter((session) => session.current).map((session) => session.deviceName),
    ).toEqual(["fourth"]);

    await revokeOwnSessions(api.deps, meta(), principal, {
      which: "one",
      sessionId: second.sessionId,
    });
    expect(
      await reasonOf(
        authenticate(api.deps, guardianDoor, { kind: "bearer", token: second.accessToken }),
      ),
    ).toBe("session_revoked");

    // Idle timeout on a console session (no 15-min access token in the way):
    // activity every 20 min keeps it alive, 30 min of silence ends it.
    const viewer = await createUser(api, "VIEWER");
    const consoleSession = await userSession(api, viewer.id, "VIEWER");
    const consoleDoor = { ...guardianDoor, frontDoor: "console" as const };
    const asConsole = {
      kind: "consoleSession" as const,
      sessionId: consoleSession.sessionId,
      userId: viewer.id,
    };
    api.clock.advance(20 * 60_000);
    expect(await authenticate(api.deps, consoleDoor, asConsole)).toMatchObject({ role: "VIEWER" });
    api.clock.advance(20 * 60_000);
    expect(await authenticate(api.deps, consoleDoor, asConsole)).toMatchObject({ role: "VIEWER" });
    api.clock.advance(api.deps.config.sessionIdleTimeoutMs);
    expect(await reasonOf(authenticate(api.deps, consoleDoor, asConsole))).toBe("session_idle");
    expect(revokedOnBus).toContain(consoleSession.sessionId);
    expect(await reasonOf(refreshSession(api.deps, meta(), third.refreshToken))).toBe(
      "session_idle",
    );

    const fifth = await login("fifth");
    const fifthPrincipal = await authenticate(api.deps, guardianDoor, {
      kind: "bearer",
      token: fifth.accessToken,
    });
    if (fifthPrincipal?.kind !== "session") throw new Error("expected a session principal");
    await revokeOwnSessions(api.deps, meta(), fifthPrincipal, { which: "others" });
    const live = await listSubjectSessions(api.deps, {
      subjectType: "GUARDIAN",
      subjectId: joined.guardianId,
      currentSessionId: fifthPrincipal.sessionId,
    });
    expect(live.map((session) => session.deviceName)).toEqual(["fifth"]);
    await logOut(api.deps, meta(), fifthPrincipal);
    expect(
      await reasonOf(
        authenticate(api.deps, guardianDoor, { kind: "bearer", token: fifth.accessToken }),
      ),
    ).toBe("session_revoked");
  });

  it("challenge login refuses a signature for another origin or purpose, and a replayed challenge", async () => {
    const joined = await joinNewGuardian(api, adminId, vaultA);
    const attempt = async (override: { origin?: string; asJoin?: true }) => {
      const challenge = await issueIdentityChallenge(api.deps, "guardian-login", {
        identityPublicKey: joined.identity.publicKeyHex,
      });
      const message = buildChallengeMessage(
        override.asJoin
          ? {
              ...challenge,
              purpose: "guardian-join",
              vaultId: vaultA,
              invitationBinding: invitationBinding(joined.code),
            }
          : { ...challenge, purpose: "guardian-login", ...override },
      );
      const signature = Buffer.from(ed25519.sign(message, joined.identity.secretKey)).toString(
        "hex",
      );
      const input = {
        challengeId: challenge.challengeId,
        identityPublicKey: joined.identity.publicKeyHex,
        signature,
        deviceName: "x",
      };
      return { input, result: await reasonOf(loginWithChallenge(api.deps, meta(), input)) };
    };
    expect((await attempt({ origin: "https://evil.example" })).result).toBe("signature_invalid");
    expect((await attempt({ asJoin: true })).result).toBe("signature_invalid");
    const good = await attempt({});
    expect(good.result).toBe("resolved");
    expect(await reasonOf(loginWithChallenge(api.deps, meta(), good.input))).toBe(
      "challenge_invalid",
    );
  });

  it("API keys: refused over WSS, refused after revocation", async () => {
    const created = await apiKey(api, adminId, ["users:read"]);
    secrets.push(created.key);
    const https = { ...meta(), frontDoor: "console" as const, transport: "https" as const };
    expect(
      await authenticate(api.deps, https, { kind: "bearer", token: created.key }),
    ).toMatchObject({ kind: "apiKey" });
    expect(
      await reasonOf(
        authenticate(
          api.deps,
          { ...https, transport: "wss" },
          { kind: "bearer", token: created.key },
        ),
      ),
    ).toBe("api_key_requires_https");
    await revokeApiKey(
      api.deps,
      meta(),
      { actorType: "USER", actorId: adminId },
      { apiKeyId: created.id },
    );
    expect(
      await reasonOf(authenticate(api.deps, https, { kind: "bearer", token: created.key })),
    ).toBe("api_key_revoked");
  });

  it("audit rows exist for every identity action and no secret appears in audit or security events", async () => {
    const actions = new Set(
      (await api.prisma.auditEvent.findMany({ select: { action: true } })).map((row) => row.action),
    );
    for (const action of [
      "guardian_join",
      "guardian_login",
      "guardian_login_failed",
      "guardian_logout",
      "token_refresh",
      "token_reuse_detected",
      "session_revoke",
      "invitation_create",
      "invitation_redeem",
      "invitation_revoke",
      "apikey_revoke",
      "apikey_create",
      "apikey_use_denied",
    ]) {
      expect(actions, action).toContain(action);
    }
    const audit = JSON.stringify(await api.prisma.auditEvent.findMany(), (_key, value: unknown) =>
      typeof value === "bigint" ? value.toString() : value,
    );
    const security = JSON.stringify(await api.prisma.securityEvent.findMany());
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(audit.includes(secret)).toBe(false);
      expect(security.includes(secret)).toBe(false);
      expect(audit.includes(secret.slice(-20))).toBe(false);
    }
  });
});
