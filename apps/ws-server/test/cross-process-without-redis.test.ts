import { randomUUID } from "node:crypto";
import { appendGuardianEvents } from "@conclave/api/services/events/append-guardian-events";
import { adminRevokeSession } from "@conclave/api/services/sessions/admin-revoke-session";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { openGuardianSocket, sendRaw } from "./support/abuse-front-door-client";
import {
  createAbuseTestBed,
  type AbuseTestBed,
  type RunningProcess,
} from "./support/abuse-test-bed";
import { runOperatorCli } from "./run-cli";

const meta = () => ({ ip: null, userAgent: null, requestId: randomUUID() });

/** Resolves once `condition` holds; the test's own timeout bounds the wait. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

type WireMessage = { id?: unknown; result?: { type?: string; id?: string } };

// Embedded mode without Redis: the console and the ws-server are two processes on one
// PostgreSQL. The test process plays the console (its ApiDependencies are built as the
// console's are, by createProcessEventBuses, with no REDIS_URL); the ws-server is a
// real child process. Only PostgreSQL LISTEN/NOTIFY connects them.
describe("console and ws-server as two processes without Redis", { timeout: 120_000 }, () => {
  let bed: AbuseTestBed;
  let server: RunningProcess;

  beforeAll(async () => {
    bed = await createAbuseTestBed({ publicOrigin: "https://conclave.example.test" });
    server = await bed.spawn({});
  });
  afterAll(async () => bed.close());

  it("a revocation from the console closes the guardian's socket (4403); no event reaches its subscription after it", async () => {
    expect(bed.admin.bus).toBe("postgres");
    const guardian = await bed.joinGuardian(server.port, "phone");
    const opened = await openGuardianSocket({
      port: server.port,
      ca: bed.tls.cert,
      accessToken: guardian.accessToken,
    });
    if (opened.kind !== "open") throw new Error(`socket not admitted: ${JSON.stringify(opened)}`);
    const { socket } = opened;
    const delivered: string[] = [];
    let started = false;
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString("utf8")) as WireMessage;
      if (message.id !== "events") return;
      if (message.result?.type === "started") started = true;
      if (message.result?.type === "data" && message.result.id !== undefined)
        delivered.push(message.result.id);
    });
    const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => {
      socket.once("close", (code, reason) => {
        resolve({ code, reason: reason.toString("utf8"), at: performance.now() });
      });
    });
    const last = await bed.admin.deps.prisma.guardianEvent.findFirst({
      where: { guardianId: guardian.guardianId },
      orderBy: { id: "desc" },
    });
    socket.send(
      JSON.stringify({
        id: "events",
        method: "subscription",
        params: { path: "events.subscribe", input: { lastEventId: last?.id.toString() ?? null } },
      }),
    );
    await until(() => started);

    // Written and announced by this process: the notice crosses to the ws-server on
    // the PostgreSQL bus (its poll is 15 s; this arrives long before).
    const publishEvent = async () => {
      const notices = await bed.admin.deps.prisma.$transaction((tx) =>
        appendGuardianEvents(tx, new Date(), [
          {
            guardianId: guardian.guardianId,
            vaultId: guardian.vaultId,
            type: "vault.disabled",
            payload: {},
          },
        ]),
      );
      bed.admin.deps.guardianEvents.publish(notices);
      return notices.map((notice) => notice.eventId.toString());
    };
    const live = await publishEvent();
    await until(() => delivered.length === 1);
    expect(delivered).toEqual(live);

    const session = await bed.admin.deps.prisma.session.findFirstOrThrow({
      where: { subjectId: guardian.guardianId, revokedAt: null },
    });
    const admin = await bed.admin.deps.prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    const revokedAt = performance.now();
    const result = await adminRevokeSession(
      bed.admin.deps,
      meta(),
      { actorType: "USER", actorId: admin.id },
      { sessionId: session.id },
    );
    expect(result.revoked).toBe(true);
    const committedAt = performance.now();
    const afterRevocation = await publishEvent();
    const close = await closed;
    console.log(
      `console revoke (other process, PostgreSQL bus) -> socket close: ${(close.at - revokedAt).toFixed(1)} ms (revocation committed and announced after ${(committedAt - revokedAt).toFixed(1)} ms)`,
    );
    expect(close).toMatchObject({ code: 4403, reason: "session revoked" });
    expect(delivered).toEqual(live);
    expect(delivered).not.toContain(afterRevocation[0]);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });

  // Last: it bans 127.0.0.1, the address every request of this file comes from.
  it("a ban made in another process is enforced, and a lift by the CLI (a third process) is admitted", async () => {
    const ca = bed.tls.cert;
    const healthz = async () => (await sendRaw({ port: server.port, ca, path: "/healthz" })).status;
    expect(await healthz()).toBe(200);

    await bed.admin.deps.abuse.bans.ban({ ip: "127.0.0.1", reason: "test", meta: meta() });
    const bannedAt = performance.now();
    await until(async () => (await healthz()) === 403);
    console.log(
      `ban in another process -> refused by the ws-server: ${(performance.now() - bannedAt).toFixed(1)} ms`,
    );

    const lifted = await runOperatorCli(["bans", "lift", "127.0.0.1"], {
      NODE_ENV: "test",
      DATABASE_URL: bed.database.appUrl,
    });
    expect(lifted.stderr).toBe("");
    expect(lifted.code).toBe(0);
    const liftedAt = performance.now();
    await until(async () => (await healthz()) === 200);
    console.log(
      `CLI lift -> admitted by the ws-server: ${(performance.now() - liftedAt).toFixed(1)} ms`,
    );
    const audit = await bed.admin.deps.prisma.auditEvent.findMany({
      where: { action: "ban_lift", targetId: "127.0.0.1" },
    });
    expect(audit).toHaveLength(1);
  });
});
