import { statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPubSubSessionRevocationBus } from "@conclave/api/events/pubsub-session-revocation-bus";
import { testRedisTls } from "../../../scripts/test-services/test-redis-tls";
import { createRedisPubSub } from "@conclave/api/events/redis-pubsub";
import { adminRevokeSession } from "@conclave/api/services/sessions/admin-revoke-session";
import { createLogger } from "@conclave/logger/create-logger";
import {
  createGuardianClient,
  type GuardianClient,
  type GuardianClientEvent,
} from "@conclave/client/create-guardian-client";
import { stateFilePath } from "@conclave/client/state/state-file";
import { send } from "./https-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { inviteToNewVault, nextEvent } from "./support/guardian-ceremonies";

const meta = () => ({
  ip: "203.0.113.9",
  userAgent: "vitest",
  requestId: randomBytes(4).toString("hex"),
});

const closedWith = (code: number) => (event: GuardianClientEvent) =>
  event.type === "socket-closed" && event.code === code;

// The real ws-server wiring and the real guardian SDK over real WSS, against PostgreSQL
// and (with REDIS_URL, as `npm test` provides) the Redis revocation bus.
describe("guardian front door over WSS with the SDK", () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  const clients: GuardianClient[] = [];
  const stateDirs = new Map<GuardianClient, string>();
  const stateDirOf = (client: GuardianClient): string => {
    const dir = stateDirs.get(client);
    if (dir === undefined) throw new Error("unknown client");
    return dir;
  };

  const newClient = (stateDir = door.stateDir(), retryDelayMs?: (attempt: number) => number) => {
    const client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir,
      ...(retryDelayMs === undefined ? {} : { retryDelayMs }),
    });
    clients.push(client);
    stateDirs.set(client, stateDir);
    return client;
  };

  // Each guardian gets its own vault: a vault stops inviting once its n guardians joined.
  const vaultOf = new Map<GuardianClient, string>();
  const joinGuardian = async (deviceName: string): Promise<GuardianClient> => {
    const { vaultId, code } = await inviteToNewVault(door, adminId, `Vault ${deviceName}`);
    const client = newClient();
    await client.join({ vaultId, code, deviceName });
    vaultOf.set(client, vaultId);
    return client;
  };

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const admin = await door.api.deps.prisma.user.create({
      data: { email: "admin@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = admin.id;
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await door.close();
  });

  it("joins with the SDK and keeps the identity key and tokens in a 0600 file in a 0700 folder", async () => {
    const client = await joinGuardian("laptop");
    const state = await client.state();
    expect(state?.vaultIds).toEqual([vaultOf.get(client)]);
    const stateDir = stateDirOf(client);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(stateFilePath(stateDir)).mode & 0o777).toBe(0o600);
  });

  it("answers an authenticated call over WSS", async () => {
    const client = await joinGuardian("desktop");
    const vaults = await client.api.vaults.list.query();
    expect(vaults.map((vault) => vault.id)).toEqual([vaultOf.get(client)]);
    const sessions = await client.api.sessions.list.query();
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(door.server.openSockets()).toBeGreaterThan(0);
  });

  it("renews the access token on the open socket before it expires", async () => {
    const joined = await joinGuardian("renewing");
    const stateDir = stateDirOf(joined);
    await joined.close();
    // Renew 500 ms after connecting instead of 60 s before the 15 min expiry.
    const client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir,
      renewBeforeMs: 15 * 60_000 - 500,
    });
    clients.push(client);
    const before = (await client.state())?.session;
    const opened = nextEvent(client, (event) => event.type === "socket-open");
    const renewed = nextEvent(client, (event) => event.type === "token-renewed");
    await client.api.vaults.list.query();
    await opened;
    expect(await renewed).toMatchObject({ type: "token-renewed", onSocket: true });
    const after = (await client.state())?.session;
    expect(after?.sessionId).toBe(before?.sessionId);
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    // Still the same socket: no close event, and calls keep working.
    await client.api.vaults.list.query();
    await client.close();
  });

  it("closes a revoked session's socket with 4403 on the bus event, then logs in again with the identity key", async () => {
    const client = await joinGuardian("phone");
    await client.api.vaults.list.query();
    const before = await client.state();
    const sessionId = before?.session?.sessionId ?? "";
    const closed = nextEvent(client, closedWith(4403));
    const relogin = nextEvent(client, (event) => event.type === "logged-in");
    const startedAt = performance.now();
    const result = await adminRevokeSession(
      door.api.deps,
      meta(),
      { actorType: "USER", actorId: adminId },
      { sessionId },
    );
    expect(result.revoked).toBe(true);
    await closed;
    console.log(
      `revocation -> socket close (4403): ${(performance.now() - startedAt).toFixed(1)} ms (admin revoke incl. DB transaction)`,
    );
    expect(await relogin).toMatchObject({ type: "logged-in", via: "challenge" });
    await client.api.vaults.list.query();
    const after = await client.state();
    expect(after?.session?.sessionId).not.toBe(sessionId);
  });

  it("closes the socket when another instance publishes the revocation over Redis", async () => {
    expect(door.api.bus).toBe("redis");
    const client = await joinGuardian("tablet");
    await client.api.vaults.list.query();
    const sessionId = (await client.state())?.session?.sessionId ?? "";
    // A second instance's bus: only a bus message, no database change and no polling,
    // can close this socket.
    const logger = createLogger({ name: "other-instance", level: "silent" });
    // Over the TLS port of the same Redis, as an instance on another host would.
    const pubsub = await createRedisPubSub({
      redis: testRedisTls(),
      logger,
      label: "other-instance",
    });
    try {
      const otherInstance = await createPubSubSessionRevocationBus(pubsub, { logger });
      const closed = nextEvent(client, closedWith(4403));
      const startedAt = performance.now();
      otherInstance.publish({ sessionId, reason: "revoked_by_admin" });
      await closed;
      console.log(
        `bus message from another instance -> socket close (4403): ${(performance.now() - startedAt).toFixed(1)} ms`,
      );
    } finally {
      await pubsub.close();
    }
  });

  it("closes an oversized frame with 1009", async () => {
    const client = await joinGuardian("big-sender");
    await client.api.vaults.list.query();
    const closed = nextEvent(client, closedWith(1009));
    const call = client.api.auth.renewSocketToken
      .mutate({ accessToken: "x".repeat(300 * 1024) })
      .catch((error: unknown) => error);
    expect(await closed).toEqual({ type: "socket-closed", code: 1009 });
    expect(await call).toBeInstanceOf(Error);
  });

  it("refuses a browser Origin that is not on the allowlist at upgrade", async () => {
    const attempt = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`wss://localhost:${door.port}/trpc`, {
          ca: door.tls.cert,
          origin,
        });
        socket.once("unexpected-response", (_request, response) => {
          resolve(response.statusCode ?? 0);
        });
        socket.once("open", () => {
          socket.close();
          resolve(101);
        });
        socket.once("error", reject);
      });
    expect(await attempt("https://evil.example")).toBe(403);
    expect(await attempt("null")).toBe(403);
    expect(await attempt("https://console.conclave.test")).toBe(101);
    expect(await attempt(door.origin)).toBe(101);
  });

  it("serves the JWKS with public key parts only", async () => {
    const response = await send({
      port: door.port,
      path: "/.well-known/jwks.json",
      ca: door.tls.cert,
    });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { keys: Record<string, unknown>[] };
    expect(body.keys).toHaveLength(1);
    for (const key of body.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
    }
    expect(response.body).not.toContain(door.api.deps.keyring.keys[0]?.privateJwk.d);
  });

  it("does not serve the console router, over HTTPS or WSS", async () => {
    const overHttps = await send({
      port: door.port,
      path: "/trpc/users.list",
      ca: door.tls.cert,
    });
    expect(overHttps.status).toBe(404);
    const client = await joinGuardian("prober");
    const untyped = client.api as unknown as {
      users: { list: { query(): Promise<unknown> } };
      invitations: { list: { query(input: unknown): Promise<unknown> } };
    };
    await expect(untyped.users.list.query()).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    await expect(
      untyped.invitations.list.query({ vaultId: vaultOf.get(client) }),
    ).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
  });

  // Last: these move the server's clock past the access token's expiry.
  it("closes the socket with 4401 when its access token expires", async () => {
    const client = await joinGuardian("expiring");
    const expiresAt = new Date((await client.state())?.session?.accessTokenExpiresAt ?? 0);
    // A second client on the same state presents the same token on a new socket, while
    // the server's clock stands 1.5 s before the token's expiry: the adapter arms its
    // (real-time) expiry timer for 1.5 s. It does not reconnect before the test ends.
    door.clock.set(new Date(expiresAt.getTime() - 1_500));
    const observer = newClient(stateDirOf(client), () => 600_000);
    const closed = nextEvent(observer, closedWith(4401));
    await observer.api.vaults.list.query();
    expect(await closed).toEqual({ type: "socket-closed", code: 4401 });
    await observer.close();
  });

  it("refuses a call made after the token expired on a socket that is still open", async () => {
    const client = await joinGuardian("late-caller");
    await client.api.vaults.list.query();
    const expiresAt = new Date((await client.state())?.session?.accessTokenExpiresAt ?? 0);
    // Past the expiry and the 30 s verification tolerance. The socket's own expiry timer
    // was armed in real time for ~15 min, so only the per-call check can refuse this.
    door.clock.set(new Date(expiresAt.getTime() + 31_000));
    await expect(client.api.vaults.list.query()).rejects.toMatchObject({
      data: { code: "UNAUTHORIZED" },
    });
  });
});
