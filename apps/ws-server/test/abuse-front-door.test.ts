import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { send, type TestResponse } from "./https-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { openGuardianSocket, type OpenGuardianSocket } from "./support/abuse-front-door-client";
import { createAdmin, inviteToNewVault } from "./support/guardian-ceremonies";

const minute = 60_000;

function openSocket(door: GuardianFrontDoor, accessToken: string) {
  return openGuardianSocket({ port: door.port, ca: door.tls.cert, accessToken });
}

/** The status of a WebSocket upgrade: 101 when the handshake completed. */
function upgradeStatus(door: GuardianFrontDoor, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const socket = new WebSocket(`wss://localhost:${door.port}/trpc`, {
      ca: door.tls.cert,
      headers,
    });
    socket.once("unexpected-response", (_request, response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    socket.once("open", () => {
      socket.close();
      resolve({ status: 101, body: "" });
    });
    socket.once("error", reject);
  });
}

function post(
  door: GuardianFrontDoor,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return send({
    port: door.port,
    path,
    method: "POST",
    ca: door.tls.cert,
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

function errorReason(response: TestResponse): unknown {
  return (JSON.parse(response.body) as { error?: { reason?: unknown } }).error?.reason;
}

async function rowCounts(door: GuardianFrontDoor) {
  const { prisma } = door.api.deps;
  return {
    guardians: await prisma.guardian.count(),
    sessions: await prisma.session.count(),
    invitationsUsed: await prisma.invitation.count({ where: { usedAt: { not: null } } }),
    audit: await prisma.auditEvent.count(),
  };
}

// The ws-server as main.ts wires it, behind a trusted proxy (the test client is the
// proxy at 127.0.0.1 and names the client in X-Forwarded-For), with a small ban
// threshold so a ban takes a handful of failures.
describe("abuse protection at the ws-server front door", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  const clients: GuardianClient[] = [];

  beforeAll(async () => {
    door = await startGuardianFrontDoor({
      TRUSTED_PROXIES: "127.0.0.1/32",
      AUTH_BAN_THRESHOLD: "5",
    });
    adminId = await createAdmin(door, "abuse-admin@example.test");
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await door.close();
  });

  async function joinGuardian(): Promise<GuardianClient> {
    const { vaultId, code } = await inviteToNewVault(
      door,
      adminId,
      `Vault ${randomUUID().slice(0, 8)}`,
    );
    const client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
    });
    clients.push(client);
    await client.join({ vaultId, code, deviceName: "abuse-test" });
    return client;
  }

  it("refuses a guardian's 4th socket with 4429 and admits a new one once a socket closes", async () => {
    const guardian = await joinGuardian();
    const accessToken = (await guardian.state())?.session?.accessToken;
    if (accessToken === undefined) throw new Error("no access token");
    // The SDK client holds no socket yet (join is HTTPS), so three raw sockets fill the cap.
    const held: OpenGuardianSocket[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await openSocket(door, accessToken);
      expect(outcome.kind).toBe("open");
      if (outcome.kind === "open") held.push(outcome);
    }
    const fourth = await openSocket(door, accessToken);
    expect(fourth).toEqual({
      kind: "closed",
      code: 4429,
      reason: "too many connections for this guardian (max 3)",
    });
    const guardianId = (await guardian.state())?.guardianId;
    await door.api.deps.abuse.events.flush();
    expect(
      await door.api.deps.prisma.securityEvent.count({
        where: { kind: "connection.limit_exceeded", subjectId: guardianId },
      }),
    ).toBe(1);

    await held[0]?.close();
    const again = await openSocket(door, accessToken);
    expect(again.kind).toBe("open");
    if (again.kind === "open") held.push(again);
    for (const socket of held) await socket.close();
  });

  it("refuses a socket without a valid access token and records the denial", async () => {
    const outcome = await openSocket(door, "not-a-token");
    expect(outcome.kind).toBe("closed");
    await door.api.deps.abuse.events.flush();
    const denials = await door.api.deps.prisma.securityEvent.findMany({
      where: { kind: "authentication_denied", details: { path: ["path"], equals: "(connect)" } },
    });
    expect(denials).toHaveLength(1);
    expect(denials[0]?.details).toMatchObject({ transport: "wss" });
    expect(JSON.stringify(denials)).not.toContain("not-a-token");
  });

  it("answers an oversized body with 413 and malformed JSON with 400, writing nothing", async () => {
    const before = await rowCounts(door);
    const oversized = await post(
      door,
      "/trpc/auth.join",
      JSON.stringify({ vaultId: randomUUID(), code: "x".repeat(100 * 1024) }),
    );
    expect(oversized.status).toBe(413);
    for (const body of ['{"vaultId":', "{", "not json secret-ish", '{"a":1}}']) {
      const response = await post(door, "/trpc/auth.join", body);
      expect(response.status).toBe(400);
      const parsed = JSON.parse(response.body) as { error: { message: string } };
      expect(parsed.error.message).toBe("The request body is not valid JSON");
      expect(response.body).not.toContain("secret-ish");
    }
    const unknownKey = await post(
      door,
      "/trpc/auth.refresh",
      JSON.stringify({ refreshToken: "x", extra: true }),
    );
    expect(unknownKey.status).toBe(400);
    expect(await rowCounts(door)).toEqual(before);
  });

  it("bans an address after repeated failed refreshes, on HTTP and at the upgrade, until it expires", async () => {
    const banned = "198.51.100.23";
    const bystander = "198.51.100.24";
    const as = (ip: string) => ({ "x-forwarded-for": ip });
    const failures: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await post(
        door,
        "/trpc/auth.refresh",
        JSON.stringify({ refreshToken: `guessed-${String(i)}` }),
        as(banned),
      );
      failures.push(response.status);
    }
    expect(failures).toEqual([401, 401, 401, 401, 401]);

    const health = await send({
      port: door.port,
      path: "/healthz",
      ca: door.tls.cert,
      headers: as(banned),
    });
    expect(health.status).toBe(403);
    expect(errorReason(health)).toBe("banned");
    expect(Number(health.headers["retry-after"])).toBeGreaterThan(14 * 60);
    const join = await post(door, "/trpc/auth.join", "{}", as(banned));
    expect(join.status).toBe(403);
    const upgrade = await upgradeStatus(door, as(banned));
    expect(upgrade.status).toBe(403);
    expect(JSON.parse(upgrade.body)).toMatchObject({ error: { reason: "banned" } });

    // Only that address: another client behind the same proxy is served.
    expect(
      (await send({ port: door.port, path: "/healthz", ca: door.tls.cert, headers: as(bystander) }))
        .status,
    ).toBe(200);
    expect((await upgradeStatus(door, as(bystander))).status).toBe(101);

    const { prisma } = door.api.deps;
    expect(await prisma.ban.count({ where: { ip: banned } })).toBe(1);
    expect(
      await prisma.auditEvent.count({ where: { action: "ban_create", targetId: banned } }),
    ).toBe(1);

    // The first ban lasts 15 minutes on the server's clock.
    const realNow = door.clock.now();
    door.clock.set(new Date(realNow.getTime() + 16 * minute));
    try {
      expect(
        (await send({ port: door.port, path: "/healthz", ca: door.tls.cert, headers: as(banned) }))
          .status,
      ).toBe(200);
      expect((await upgradeStatus(door, as(banned))).status).toBe(101);
    } finally {
      door.clock.set(realNow);
    }
  });

  it("lifts a ban: the address is served again and the lift is audited", async () => {
    const ip = "198.51.100.61";
    const meta = { ip, userAgent: null, requestId: randomUUID() };
    await door.api.deps.abuse.bans.ban({ ip, reason: "test", meta });
    const headers = { "x-forwarded-for": ip };
    expect(
      (await send({ port: door.port, path: "/healthz", ca: door.tls.cert, headers })).status,
    ).toBe(403);
    expect((await upgradeStatus(door, headers)).status).toBe(403);

    await door.api.deps.abuse.bans.liftBan({ actorType: "USER", actorId: adminId }, ip, meta);
    expect(
      (await send({ port: door.port, path: "/healthz", ca: door.tls.cert, headers })).status,
    ).toBe(200);
    expect((await upgradeStatus(door, headers)).status).toBe(101);
    expect(
      await door.api.deps.prisma.auditEvent.count({ where: { action: "ban_lift", targetId: ip } }),
    ).toBe(1);
  });
});

// Without TRUSTED_PROXIES the TCP peer is the client, whatever the request claims.
describe("client address without a trusted proxy", { timeout: 60_000 }, () => {
  let door: GuardianFrontDoor;
  beforeAll(async () => {
    door = await startGuardianFrontDoor();
  });
  afterAll(async () => {
    await door.close();
  });

  it("ignores X-Forwarded-For: a spoofed address neither escapes a ban nor frames another", async () => {
    const meta = (ip: string) => ({ ip, userAgent: null, requestId: randomUUID() });
    const health = (headers: Record<string, string>) =>
      send({ port: door.port, path: "/healthz", ca: door.tls.cert, headers });

    await door.api.deps.abuse.bans.ban({
      ip: "203.0.113.50",
      reason: "test",
      meta: meta("203.0.113.50"),
    });
    expect((await health({ "x-forwarded-for": "203.0.113.50" })).status).toBe(200);

    await door.api.deps.abuse.bans.ban({
      ip: "127.0.0.1",
      reason: "test",
      meta: meta("127.0.0.1"),
    });
    expect((await health({ "x-forwarded-for": "203.0.113.99" })).status).toBe(403);
    expect((await upgradeStatus(door, { "x-forwarded-for": "203.0.113.99" })).status).toBe(403);
  });
});
