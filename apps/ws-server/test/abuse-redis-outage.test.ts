import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import {
  generateIdentityKey,
  signJoinChallenge,
  signLoginChallenge,
} from "@conclave/client/identity/identity-key";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openGuardianSocket,
  sendRaw,
  trpcDataOf,
  trpcErrorOf,
  trpcMutation,
  type OpenGuardianSocket,
  type RawResponse,
} from "./support/abuse-front-door-client";
import { startPrivateRedis, type PrivateRedis } from "./support/abuse-private-redis";
import {
  createAbuseTestBed,
  type AbuseTestBed,
  type JoinedGuardian,
  type RunningProcess,
} from "./support/abuse-test-bed";

const meta = { ip: null, userAgent: null, requestId: "abuse-outage-test" };
const publicOrigin = "https://conclave.example.test";

type LoginInput = {
  challengeId: string;
  identityPublicKey: string;
  signature: string;
  deviceName: string;
};

// A real ws-server process on its own redis-server (the Redis `npm test` shares with
// other test files must stay up), driven through its HTTPS and WSS front door. Redis is
// stopped mid-test and started again on the same port; the README's outage policy is
// checked limit by limit.
describe("abuse protection when Redis stops mid-test", () => {
  let redis: PrivateRedis;
  let bed: AbuseTestBed;
  let server: RunningProcess;
  let guardian: JoinedGuardian;
  let socket: OpenGuardianSocket;
  let ca: string;
  const statuses: number[] = [];
  let pendingLogin: LoginInput | undefined;
  let pendingInvitationCode: string | undefined;

  const call = async (procedure: string, input: unknown): Promise<RawResponse> => {
    const response = await trpcMutation({ port: server.port, ca }, procedure, input);
    statuses.push(response.status);
    return response;
  };
  const challengeFor = async (identityPublicKey: string) => {
    const response = await call("auth.issueChallenge", { identityPublicKey });
    expect(response.status).toBe(200);
    const data = trpcDataOf(response);
    return {
      challengeId: String(data.challengeId),
      challenge: String(data.challenge),
      origin: String(data.origin),
      purpose: "guardian-login" as const,
      expiresAt: String(data.expiresAt),
    };
  };
  const loginInput = async (): Promise<LoginInput> => {
    const challenge = await challengeFor(guardian.identity.publicKeyHex);
    return {
      challengeId: challenge.challengeId,
      identityPublicKey: guardian.identity.publicKeyHex,
      signature: signLoginChallenge(guardian.identity, challenge.origin, challenge),
      deviceName: "outage-device",
    };
  };
  const newInvitation = async () => {
    const admin = await bed.admin.deps.prisma.user.findFirstOrThrow();
    const actor = { actorType: "USER" as const, actorId: admin.id, createdById: admin.id };
    return createInvitation(bed.admin.deps, meta, actor, {
      vaultId: guardian.vaultId,
      role: "GUARDIAN",
    });
  };
  const outageEvents = (severity: "CRITICAL" | "WARN") =>
    bed.admin.deps.prisma.securityEvent.findMany({
      where: { kind: "rate_limit.backend_unavailable", severity },
    });

  beforeAll(async () => {
    redis = await startPrivateRedis();
    bed = await createAbuseTestBed({ publicOrigin });
    ca = bed.tls.cert;
    server = await bed.spawn({ REDIS_URL: redis.url });
    guardian = await bed.joinGuardian(server.port, "outage-guardian");
    const opened = await openGuardianSocket({
      port: server.port,
      ca,
      accessToken: guardian.accessToken,
    });
    if (opened.kind !== "open") throw new Error(`guardian socket not admitted: ${opened.kind}`);
    socket = opened;
  });

  afterAll(async () => {
    await socket.close();
    await bed.close();
    await redis.remove();
  });

  it("serves login, challenge and guardian calls while Redis is up", async () => {
    const login = await call("auth.login", await loginInput());
    expect(login.status).toBe(200);
    expect(await socket.query("vaults.list")).toMatchObject({ ok: true });
    expect(await outageEvents("CRITICAL")).toEqual([]);
  });

  it("with Redis stopped: login, join and refresh answer 429 unavailable (Retry-After 5); challenges, guardian calls over the open socket and new sockets go on; events are recorded; nothing answers 5xx", async () => {
    // Issued while Redis is up: the login below must fail on the limit, not on a challenge.
    const login = await loginInput();
    pendingLogin = login;
    const invitation = await newInvitation();
    pendingInvitationCode = invitation.code;
    await redis.stop();

    // Fall-back limits: each process counts on its own.
    const challenge = await call("auth.issueChallenge", {
      identityPublicKey: generateIdentityKey().publicKeyHex,
    });
    expect(challenge.status).toBe(200);
    // ... but still count: this process alone allows the limit (10), then refuses.
    const moreChallenges: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await call("auth.issueChallenge", {
        identityPublicKey: generateIdentityKey().publicKeyHex,
      });
      moreChallenges.push(response.status);
      if (response.status === 429)
        expect(trpcErrorOf(response).data).toMatchObject({ reason: "rate_limited" });
    }
    expect(moreChallenges).toEqual([...Array<number>(9).fill(200), 429, 429, 429]);
    for (let i = 0; i < 3; i++)
      expect(await socket.query("vaults.list")).toMatchObject({ ok: true });
    const second = await openGuardianSocket({
      port: server.port,
      ca,
      accessToken: guardian.accessToken,
    });
    expect(second.kind).toBe("open");
    if (second.kind === "open") await second.close();

    // Fail-closed limits: refused before the credential is even looked at.
    const refused = [
      await call("auth.login", login),
      await call("auth.join", {
        vaultId: guardian.vaultId,
        code: invitation.code,
        identityPublicKey: generateIdentityKey().publicKeyHex,
        displayName: "during outage",
        deviceName: "during outage",
      }),
      await call("auth.refresh", { refreshToken: guardian.refreshToken }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.headers["retry-after"]).toBe("5");
      expect(trpcErrorOf(response).data).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        reason: "unavailable",
        retryAfterSeconds: 5,
      });
    }
    // Nothing was spent: the invitation is still open (it, the challenge and the refresh
    // token are all redeemed after the outage).
    const stored = await bed.admin.deps.prisma.invitation.findUniqueOrThrow({
      where: { id: invitation.id },
    });
    expect(stored.usedAt).toBeNull();

    const health = await sendRaw({ port: server.port, ca, path: "/healthz" });
    statuses.push(health.status);
    expect(health.status).toBe(200);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);

    await expect
      .poll(async () => new Set((await outageEvents("CRITICAL")).map((e) => limitOf(e.details))), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual(new Set(["login", "join", "refresh"]));
    await expect
      .poll(async () => new Set((await outageEvents("WARN")).map((e) => limitOf(e.details))), {
        timeout: 10_000,
        interval: 100,
      })
      .toEqual(new Set(["challenge", "guardianCall"]));
    for (const event of await outageEvents("CRITICAL"))
      expect(event.details).toMatchObject({ policy: "closed" });
    for (const event of await outageEvents("WARN"))
      expect(event.details).toMatchObject({ policy: "local" });
    // The socket opened during the outage took a process-local slot.
    await expect
      .poll(
        () =>
          bed.admin.deps.prisma.securityEvent.count({
            where: { kind: "abuse_store.unavailable", severity: "WARN" },
          }),
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(1);
    // The fallback still limits: one refusal event for the challenge flood, counted locally.
    await expect
      .poll(
        async () =>
          (
            await bed.admin.deps.prisma.securityEvent.findMany({
              where: { kind: "rate_limit.exceeded" },
            })
          ).map((event) => {
            const details = event.details as Record<string, unknown>;
            return [details.limit, details.max, details.source];
          }),
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([["challenge", 10, "local-fallback"]]);
    expect(server.exitCode()).toBeUndefined();
  });

  it("after Redis is back on the same port: login, join and refresh work again, and the process never went down", async () => {
    await redis.start();
    // The challenge the refused login carried is still good: the refusal spent nothing.
    // So is the invitation the refused join carried.
    const login = pendingLogin;
    const code = pendingInvitationCode;
    if (login === undefined || code === undefined) throw new Error("the outage test did not run");
    // The limiter skips Redis for backendRetryAfterMs (5 s) after a failure, and the
    // client reconnects by itself: poll until the fail-closed limit answers again.
    let answer: RawResponse | undefined;
    for (let attempt = 0; attempt < 60; attempt++) {
      answer = await call("auth.login", login);
      if (answer.status !== 429) break;
      expect(trpcErrorOf(answer).data.reason).toBe("unavailable");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(answer?.status).toBe(200);
    const refreshed = await call("auth.refresh", { refreshToken: guardian.refreshToken });
    expect(refreshed.status).toBe(200);
    const joiner = generateIdentityKey();
    const joinChallenge = await call("auth.issueJoinChallenge", {
      identityPublicKey: joiner.publicKeyHex,
    });
    expect(joinChallenge.status).toBe(200);
    const issued = trpcDataOf(joinChallenge);
    const joined = await call("auth.join", {
      vaultId: guardian.vaultId,
      code,
      identityPublicKey: joiner.publicKeyHex,
      challengeId: String(issued.challengeId),
      signature: signJoinChallenge(
        joiner,
        publicOrigin,
        {
          challenge: String(issued.challenge),
          origin: String(issued.origin),
          purpose: "guardian-join",
          expiresAt: String(issued.expiresAt),
        },
        { vaultId: guardian.vaultId, code },
      ),
      displayName: "after outage",
      deviceName: "after outage",
    });
    expect(joined.status).toBe(200);
    expect(await socket.query("vaults.list")).toMatchObject({ ok: true });
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(server.exitCode()).toBeUndefined();
  });
});

function limitOf(details: unknown): unknown {
  return typeof details === "object" && details !== null && "limit" in details
    ? details.limit
    : undefined;
}
