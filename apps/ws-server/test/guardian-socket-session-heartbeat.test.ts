import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGuardianClient,
  type GuardianClient,
  type GuardianClientEvent,
} from "@conclave/client/create-guardian-client";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { createAdmin, inviteToNewVault, nextEvent } from "./support/guardian-ceremonies";

const HEARTBEAT_MS = 200;

// Defense in depth behind the revocation bus: a bus message can be lost (a LISTEN
// connection down at that moment). Every session change here is written straight to the
// database with nothing published on any bus, so only the socket heartbeat's re-check of
// the session can close these sockets.
describe("the socket heartbeat re-checks each open socket's session", { timeout: 60_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  const clients: GuardianClient[] = [];

  const connectGuardian = async (name: string) => {
    const { vaultId, code } = await inviteToNewVault(door, adminId, `Vault ${name}`);
    const client = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
    });
    clients.push(client);
    await client.join({ vaultId, code, deviceName: name });
    const opened = nextEvent(client, (event) => event.type === "socket-open");
    await client.api.vaults.list.query();
    await opened;
    const sessionId = (await client.state())?.session?.sessionId;
    if (sessionId === undefined) throw new Error("joined without a session");
    const closes: GuardianClientEvent[] = [];
    client.on((event) => {
      if (event.type === "socket-closed") closes.push(event);
    });
    const closed = nextEvent(client, (event) => event.type === "socket-closed");
    return { client, sessionId, closes, closed };
  };

  beforeAll(async () => {
    door = await startGuardianFrontDoor({}, { heartbeatMs: HEARTBEAT_MS });
    adminId = await createAdmin(door, "admin@example.test");
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await door.close();
  });

  it("closes the sockets of a revoked, an expired and an idle session with 4403, and keeps a live one open", async () => {
    const { prisma } = door.api.deps;
    const revoked = await connectGuardian("revoked");
    const expired = await connectGuardian("expired");
    const idle = await connectGuardian("idle");
    const live = await connectGuardian("live");

    const now = door.clock.now();
    await prisma.session.update({ where: { id: revoked.sessionId }, data: { revokedAt: now } });
    await prisma.session.update({
      where: { id: expired.sessionId },
      data: { expiresAt: new Date(now.getTime() - 1_000) },
    });
    await prisma.session.update({
      where: { id: idle.sessionId },
      data: {
        lastActivityAt: new Date(now.getTime() - door.api.deps.config.sessionIdleTimeoutMs),
      },
    });

    expect(await revoked.closed).toEqual({ type: "socket-closed", code: 4403 });
    expect(await expired.closed).toEqual({ type: "socket-closed", code: 4403 });
    expect(await idle.closed).toEqual({ type: "socket-closed", code: 4403 });

    // The idle timeout the heartbeat found is recorded like one found by a call.
    const idleRow = await prisma.session.findUniqueOrThrow({ where: { id: idle.sessionId } });
    expect(idleRow.revokeReason).toBe("idle_timeout");
    const idleAudit = await prisma.auditEvent.findMany({
      where: { action: "session_revoke", targetId: idle.sessionId },
      select: { details: true },
    });
    expect(idleAudit).toEqual([{ details: { reason: "idle_timeout" } }]);

    // The live session went through the same heartbeats and still has its socket.
    expect(live.closes).toEqual([]);
    await live.client.api.vaults.list.query();
    expect(live.closes).toEqual([]);
    const liveRow = await prisma.session.findUniqueOrThrow({ where: { id: live.sessionId } });
    expect(liveRow.revokedAt).toBeNull();
  });
});
