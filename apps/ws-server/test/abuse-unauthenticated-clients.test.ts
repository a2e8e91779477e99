import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { send } from "./https-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { openGuardianSocket } from "./support/abuse-front-door-client";
import { createAdmin, inviteToNewVault } from "./support/guardian-ceremonies";

// Sockets may stay unauthenticated this long here (10 s by default).
const AUTHENTICATE_WITHIN_MS = 1_000;
// Without the deadline such a socket stays open indefinitely: closing within 15 s shows it.
const GENEROUS_BOUND_MS = 15_000;

type SocketEnd = { closed: true; code: number; reason: string } | { closed: false };

/** Opens a guardian socket that answers pings (the ws client does) and never authenticates. */
function idleSocket(door: GuardianFrontDoor, forwardedFor: string): Promise<SocketEnd> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://localhost:${door.port}/trpc?connectionParams=1`, {
      ca: door.tls.cert,
      headers: { "x-forwarded-for": forwardedFor },
    });
    const timer = setTimeout(() => {
      socket.terminate();
      resolve({ closed: false });
    }, GENEROUS_BOUND_MS);
    socket.once("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ closed: true, code, reason: reason.toString("utf8") });
    });
    socket.once("error", reject);
  });
}

describe("unauthenticated clients at the signing server", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let client: GuardianClient | undefined;

  beforeAll(async () => {
    door = await startGuardianFrontDoor(
      { TRUSTED_PROXIES: "127.0.0.1/32" },
      { authenticateWithinMs: AUTHENTICATE_WITHIN_MS },
    );
  });
  afterAll(async () => {
    await client?.close();
    await door.close();
  });

  it("closes a socket that never sends its connectionParams with 4408 and records it", async () => {
    const ip = "198.51.100.90";
    expect(await idleSocket(door, ip)).toEqual({
      closed: true,
      code: 4408,
      reason: "authentication timeout",
    });
    await door.api.deps.abuse.events.flush();
    const events = await door.api.deps.prisma.securityEvent.findMany({
      where: { ip, kind: "authentication_denied" },
    });
    expect(events.map((event) => event.details)).toEqual([
      expect.objectContaining({ reason: "authentication_timeout", path: "(idle)" }),
    ]);
  });

  it("keeps an authenticated socket open past the deadline", async () => {
    const adminId = await createAdmin(door, "idle-admin@example.test");
    const { vaultId, code } = await inviteToNewVault(door, adminId, `Vault ${randomUUID()}`);
    client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
    });
    await client.join({ vaultId, code, deviceName: "idle-test" });
    const accessToken = (await client.state())?.session?.accessToken;
    if (accessToken === undefined) throw new Error("no access token");
    const socket = await openGuardianSocket({ port: door.port, ca: door.tls.cert, accessToken });
    expect(socket.kind).toBe("open");
    if (socket.kind !== "open") return;
    await new Promise((resolve) => setTimeout(resolve, 3 * AUTHENTICATE_WITHIN_MS));
    expect(await socket.query("vaults.list")).toMatchObject({ ok: true });
    await socket.close();

    // A token answer over HTTPS is neither cached nor framed.
    const refreshToken = (await client.state())?.session?.refreshToken;
    const refreshed = await send({
      port: door.port,
      path: "/trpc/auth.refresh",
      method: "POST",
      ca: door.tls.cert,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toContain("accessToken");
    expect(refreshed.headers).toMatchObject({
      "x-frame-options": "DENY",
      "cache-control": "no-store",
      "x-xss-protection": "0",
      "x-content-type-options": "nosniff",
      "strict-transport-security": "max-age=63072000; includeSubDomains",
    });
  });

  it("throttles, then bans, a flood of forged access tokens, writing a handful of rows", async () => {
    const ip = "198.51.100.91";
    const flood = 60;
    const statuses: number[] = [];
    for (let i = 0; i < flood; i++) {
      const response = await send({
        port: door.port,
        path: "/trpc/auth.logout",
        method: "POST",
        ca: door.tls.cert,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer forged.${String(i)}.token`,
          "x-forwarded-for": ip,
        },
        body: "{}",
      });
      statuses.push(response.status);
      // Token answers (join, login, refresh) come through the same tRPC handler.
      if (i === 0)
        expect(response.headers).toMatchObject({
          "x-frame-options": "DENY",
          "cache-control": "no-store",
          "x-xss-protection": "0",
          "x-content-type-options": "nosniff",
        });
    }
    const first = (status: number) => statuses.indexOf(status);
    // 10 free failures and one more, then backoff refusals until the 20th, then the ban.
    expect(statuses.slice(0, 11)).toEqual(Array<number>(11).fill(401));
    expect(first(429)).toBe(11);
    expect(first(403)).toBeGreaterThan(first(429));
    expect(statuses.slice(first(403))).toEqual(Array<number>(flood - first(403)).fill(403));
    expect(await door.api.deps.abuse.bans.isBanned(ip)).not.toBeNull();

    await door.api.deps.abuse.events.flush();
    const rows = await door.api.deps.prisma.securityEvent.findMany({ where: { ip } });
    expect(rows.length).toBeLessThanOrEqual(6);
    const denials = rows.filter((row) => row.kind === "authentication_denied");
    // The first denial as it happened, then one row counting the rest of the minute.
    expect(denials.map((row) => row.details)).toEqual([
      expect.objectContaining({ reason: "token_malformed", path: "auth.logout" }),
      expect.objectContaining({ aggregated: true, count: 10 }),
    ]);
    expect(rows.map((row) => row.kind)).toEqual(expect.arrayContaining(["ip.banned"]));
    expect(JSON.stringify(rows)).not.toContain("forged.");
  });
});
