import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { adminRevokeSession } from "@conclave/api/services/sessions/admin-revoke-session";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { send } from "./https-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { createAdmin, inviteToNewVault, nextEvent } from "./support/guardian-ceremonies";

const meta = () => ({ ip: null, userAgent: null, requestId: randomUUID() });

// A revoked guardian whose refresh is refused for a while (its address's refresh budget
// is spent) must keep trying to refresh, then log in with its identity key, instead of
// presenting the revoked access token on every reconnect.
describe("SDK re-login while refreshes are rate limited", { timeout: 60_000 }, () => {
  let door: GuardianFrontDoor;
  let client: GuardianClient;

  beforeAll(async () => {
    door = await startGuardianFrontDoor({ RATE_LIMIT_PUBLIC_PER_MINUTE: "3" });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await client.close();
    await door.close();
  });

  it("logs in again once the refresh window has passed", async () => {
    // The rate limiter's windows follow Date; the test moves it past the window.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date());
    const adminId = await createAdmin(door, "relogin-admin@example.test");
    const { vaultId, code } = await inviteToNewVault(door, adminId, "Relogin");
    client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
      retryDelayMs: () => 100,
    });
    await client.join({ vaultId, code, deviceName: "phone" });
    await client.api.vaults.list.query();
    const sessionId = (await client.state())?.session?.sessionId ?? "";

    // Spend this address's refresh budget (3 a minute here).
    for (let i = 0; i < 3; i++) {
      const guessed = await send({
        port: door.port,
        path: "/trpc/auth.refresh",
        method: "POST",
        ca: door.tls.cert,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: `guessed-${String(i)}` }),
      });
      expect(guessed.status).toBe(401);
    }

    const relogin = nextEvent(client, (event) => event.type === "logged-in");
    await adminRevokeSession(
      door.api.deps,
      meta(),
      { actorType: "USER", actorId: adminId },
      {
        sessionId,
      },
    );
    // The client's refresh is refused (429) while the window lasts.
    await vi.waitFor(
      async () => {
        await door.api.deps.abuse.events.flush();
        const refused = await door.api.deps.prisma.securityEvent.count({
          where: { kind: "rate_limit.exceeded", details: { path: ["limit"], equals: "refresh" } },
        });
        expect(refused).toBe(1);
      },
      { timeout: 20_000, interval: 100 },
    );

    vi.setSystemTime(Date.now() + 125_000);
    expect(await relogin).toMatchObject({ type: "logged-in", via: "challenge" });
    await client.api.vaults.list.query();
    expect((await client.state())?.session?.sessionId).not.toBe(sessionId);
  });
});
