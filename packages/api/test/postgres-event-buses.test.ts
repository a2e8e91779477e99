import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import type { Logger } from "@conclave/logger/create-logger";
import type { GuardianEventNotice } from "../src/events/guardian-event-bus";
import { createPostgresPubSub, type PostgresPubSub } from "../src/events/postgres-pubsub";
import {
  createPubSubGuardianEventBus,
  guardianEventChannel,
} from "../src/events/pubsub-guardian-event-bus";
import {
  createPubSubSessionRevocationBus,
  SESSION_REVOCATION_CHANNEL,
} from "../src/events/pubsub-session-revocation-bus";
import type { SessionRevocation } from "../src/events/session-revocation-bus";
import { capturingLogger } from "./support/capturing-logger";

/** Resolves once `condition` holds; the test's own timeout bounds the wait. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Two processes of one deployment without Redis: each has its own LISTEN connection
// and its own NOTIFY pool on the same (real) PostgreSQL database.
describe("PostgreSQL LISTEN/NOTIFY buses", () => {
  let database: TestDatabase;
  const opened: PostgresPubSub[] = [];

  const openInstance = async (logger: Logger) => {
    const pubsub = await createPostgresPubSub({
      connection: { connectionString: database.appUrl },
      logger,
      label: "event buses",
      reconnect: { minMs: 20, maxMs: 200 },
    });
    opened.push(pubsub);
    return {
      pubsub,
      revocations: await createPubSubSessionRevocationBus(pubsub, { logger }),
      guardianEvents: await createPubSubGuardianEventBus(pubsub, { logger }),
    };
  };

  const notifyRaw = async (channel: string, payload: string) => {
    const client = new pg.Client({ connectionString: database.appUrl });
    await client.connect();
    try {
      await client.query("SELECT pg_notify($1, $2)", [channel, payload]);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterEach(async () => {
    for (const pubsub of opened.splice(0)) await pubsub.close();
  });

  afterAll(async () => {
    await database.drop();
  });

  it("carries revocations and event notices between two instances; each hears its own once", async () => {
    const a = await openInstance(capturingLogger().logger);
    const b = await openInstance(capturingLogger().logger);
    expect(a.pubsub.listenerPid()).not.toBe(b.pubsub.listenerPid());
    const heardByA: SessionRevocation[] = [];
    const heardByB: SessionRevocation[] = [];
    a.revocations.subscribe((revocation) => heardByA.push(revocation));
    b.revocations.subscribe((revocation) => heardByB.push(revocation));

    const revocation = { sessionId: randomUUID(), reason: "revoked_by_admin" };
    a.revocations.publish(revocation);
    await until(() => heardByB.length === 1);
    expect(heardByB).toEqual([revocation]);

    // A's own message also came back to A over its LISTEN connection: a marker sent
    // after it arrives after it, and A still holds exactly its local delivery.
    const marker = { sessionId: randomUUID(), reason: "marker" };
    b.revocations.publish(marker);
    await until(() => heardByA.length === 2);
    expect(heardByA).toEqual([revocation, marker]);

    // 120 notices cross as three messages (at most 50 each, under NOTIFY's 8000 bytes).
    const guardianId = randomUUID();
    const received: bigint[] = [];
    b.guardianEvents.subscribe(guardianId, (eventId) => received.push(eventId));
    const notices: GuardianEventNotice[] = Array.from({ length: 120 }, (_, i) => ({
      guardianId,
      eventId: BigInt(i + 1) * 10_000_000_000n,
    }));
    a.guardianEvents.publish(notices);
    await until(() => received.length === notices.length);
    expect(received).toEqual(notices.map((notice) => notice.eventId));
  });

  it("drops malformed payloads and keeps delivering well-formed ones", async () => {
    const { logger, lines } = capturingLogger();
    const b = await openInstance(logger);
    const heard: SessionRevocation[] = [];
    b.revocations.subscribe((revocation) => heard.push(revocation));
    const guardianId = randomUUID();
    const received: bigint[] = [];
    b.guardianEvents.subscribe(guardianId, (eventId) => received.push(eventId));

    const instance = randomUUID();
    const malformed: [string, string][] = [
      [SESSION_REVOCATION_CHANNEL, "not json"],
      [SESSION_REVOCATION_CHANNEL, JSON.stringify({ sessionId: "s1", reason: "x" })],
      [
        SESSION_REVOCATION_CHANNEL,
        JSON.stringify({ instance, sessionId: "s2", reason: "x", extra: true }),
      ],
      [
        SESSION_REVOCATION_CHANNEL,
        JSON.stringify({ instance, sessionId: "s".repeat(65), reason: "x" }),
      ],
      [SESSION_REVOCATION_CHANNEL, JSON.stringify({ instance, sessionId: "", reason: "x" })],
      [guardianEventChannel, `${guardianId}:7`],
      [
        guardianEventChannel,
        JSON.stringify({ instance, notices: [{ guardianId, eventId: "-1" }] }),
      ],
      [
        guardianEventChannel,
        JSON.stringify({ instance, notices: [{ guardianId, eventId: "1".repeat(20) }] }),
      ],
      [guardianEventChannel, JSON.stringify({ instance, notices: [] })],
      [
        guardianEventChannel,
        JSON.stringify({
          instance,
          notices: Array.from({ length: 51 }, () => ({ guardianId, eventId: "1" })),
        }),
      ],
    ];
    for (const [channel, payload] of malformed) await notifyRaw(channel, payload);
    // Sent last on the same ordered channel: once these arrive, the rest were handled.
    await notifyRaw(
      SESSION_REVOCATION_CHANNEL,
      JSON.stringify({ instance, sessionId: "s3", reason: "valid" }),
    );
    await notifyRaw(
      guardianEventChannel,
      JSON.stringify({ instance, notices: [{ guardianId, eventId: "8" }] }),
    );
    await until(() => heard.length === 1 && received.length === 1);
    expect(heard).toEqual([{ sessionId: "s3", reason: "valid" }]);
    expect(received).toEqual([8n]);
    const dropped = lines.filter((line) => line.msg === "pubsub: malformed message dropped");
    expect(dropped).toHaveLength(malformed.length);
  });

  it("re-establishes a terminated LISTEN connection, logs the outage once, then delivers again", async () => {
    const { logger, lines } = capturingLogger();
    const a = await openInstance(capturingLogger().logger);
    const b = await openInstance(logger);
    const heard: SessionRevocation[] = [];
    b.revocations.subscribe((revocation) => heard.push(revocation));
    const firstPid = b.pubsub.listenerPid();
    expect(firstPid).not.toBeNull();

    const admin = new pg.Client({ connectionString: database.superuserUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        "SELECT pg_terminate_backend($1) AS terminated",
        [firstPid],
      );
      expect(rows[0]?.terminated).toBe(true);
    } finally {
      await admin.end();
    }
    await until(() => {
      const pid = b.pubsub.listenerPid();
      return pid !== null && pid !== firstPid;
    });

    const revocation = { sessionId: randomUUID(), reason: "after_reconnect" };
    a.revocations.publish(revocation);
    await until(() => heard.length === 1);
    expect(heard).toEqual([revocation]);
    expect(lines.filter((line) => line.msg === "event buses: postgres error")).toHaveLength(1);
    expect(
      lines.filter((line) => line.msg === "event buses: postgres reachable again"),
    ).toHaveLength(1);
  });
});
