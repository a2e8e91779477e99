import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { inviteToNewVault } from "./support/guardian-ceremonies";

// Graceful stop: clients are told to reconnect, the server drains, then closes what is
// left, and stop() resolves with no socket open.
describe("ws-server graceful shutdown", () => {
  let door: GuardianFrontDoor;
  let client: GuardianClient;

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const { prisma } = door.api.deps;
    const admin = await prisma.user.create({
      data: { email: "stop@example.test", passwordHash: "x", role: "ADMIN" },
    });
    const { vaultId, code } = await inviteToNewVault(door, admin.id, "Stop");
    // No reconnect during the test: the server is going away.
    client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
      retryDelayMs: () => 600_000,
    });
    await client.join({ vaultId, code, deviceName: "stopper" });
    await client.api.vaults.list.query();
  });
  afterAll(async () => {
    await client.close();
    await door.api.close();
    await door.database.drop();
    door.tls.remove();
  });

  it("asks clients to reconnect, drains and stops with no socket left", async () => {
    expect(door.server.openSockets()).toBe(1);
    const closed = new Promise<number | undefined>((resolve) => {
      client.on((event) => {
        if (event.type === "socket-closed") resolve(event.code);
      });
    });
    await door.server.stop();
    expect(door.server.openSockets()).toBe(0);
    // The client closed on the reconnect notification (1000 from its side) or the
    // server closed it after the drain window (1001).
    expect([1000, 1001, 1005]).toContain(await closed);
  });
});
