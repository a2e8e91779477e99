import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { RequestMeta } from "../src/context/request-facts";
import { createAbuseConfig } from "../src/abuse/abuse-config";
import type { AbuseEventLog } from "../src/abuse/abuse-event-log";
import type { AbuseStore } from "../src/abuse/abuse-store";
import type {
  ConnectionAdmission,
  ConnectionLimiter,
} from "../src/abuse/create-connection-limiter";
import {
  connectionLimitCloseCode,
  createConnectionLimiter,
} from "../src/abuse/create-connection-limiter";
import { createMemoryAbuseStore } from "../src/abuse/memory-abuse-store";
import { createRedisAbuseStore } from "../src/abuse/redis-abuse-store";
import { createResilientStore } from "../src/abuse/resilient-store";
import type { SecurityEventInput } from "../src/services/security-events/record-security-event";
import { createTestClock } from "./support/test-api";
import type { TestClock } from "./support/test-api";

const meta: RequestMeta = { ip: "192.0.2.10", userAgent: null, requestId: "t" };
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

type Process = { limiter: ConnectionLimiter; events: SecurityEventInput[] };

function processOn(primary: AbuseStore, clock: TestClock, keyPrefix: string): Process {
  const events: SecurityEventInput[] = [];
  const log: AbuseEventLog = {
    record: (_meta, event) => events.push(event),
    flush: () => Promise.resolve(),
  };
  const fallback = createMemoryAbuseStore(clock);
  const config = createAbuseConfig({ keyPrefix, connections: { perIp: 5 } });
  const store = createResilientStore({
    primary,
    fallback,
    clock,
    timeoutMs: 10_000,
    retryAfterMs: 5_000,
    onUnavailable: () => undefined,
  });
  return {
    limiter: createConnectionLimiter({
      caps: config.connections,
      store,
      events: log,
      clock,
      keyPrefix,
    }),
    events,
  };
}

function leaseOf(admission: ConnectionAdmission) {
  if (!admission.admitted) throw new Error(`refused: ${admission.reason}`);
  return admission.lease;
}

const backends: [string, (clock: TestClock) => AbuseStore][] = [
  [
    "Redis (two processes)",
    () => {
      const client = new Redis(process.env.REDIS_URL ?? "");
      clients.push(client);
      return createRedisAbuseStore(client);
    },
  ],
  ["memory (one process)", (clock) => createMemoryAbuseStore(clock)],
];

describe.each(backends)("WebSocket connection caps on %s", (_name, makeStore) => {
  it("refuses the 4th socket of a guardian, and a released slot is reusable", async () => {
    const clock = createTestClock();
    const keyPrefix = `test:${randomUUID()}`;
    const shared = makeStore(clock);
    // Two processes on Redis share the store; in memory there is only one process.
    const [a, b] = [processOn(shared, clock, keyPrefix), processOn(shared, clock, keyPrefix)];
    const guardian = randomUUID();
    const leases = [
      leaseOf(await a.limiter.acquireForGuardian(guardian, meta)),
      leaseOf(await b.limiter.acquireForGuardian(guardian, meta)),
      leaseOf(await a.limiter.acquireForGuardian(guardian, meta)),
    ];
    const fourth = await b.limiter.acquireForGuardian(guardian, meta);
    expect(fourth).toEqual({
      admitted: false,
      scope: "guardian",
      max: 3,
      closeCode: connectionLimitCloseCode,
      reason: "too many connections for this guardian (max 3)",
    });
    expect(b.events).toEqual([
      expect.objectContaining({ kind: "connection.limit_exceeded", subjectId: guardian }),
    ]);
    // Another guardian is unaffected.
    expect((await b.limiter.acquireForGuardian(randomUUID(), meta)).admitted).toBe(true);

    await leases[1]?.release();
    await leases[1]?.release(); // idempotent: must not free someone else's slot
    const replacement = leaseOf(await b.limiter.acquireForGuardian(guardian, meta));
    expect((await a.limiter.acquireForGuardian(guardian, meta)).admitted).toBe(false);
    await replacement.release();
  });

  it("frees the slots of a crashed process once their leases run out; renewals keep them", async () => {
    const clock = createTestClock();
    const keyPrefix = `test:${randomUUID()}`;
    const p = processOn(makeStore(clock), clock, keyPrefix);
    const guardian = randomUUID();
    const held = [];
    for (let i = 0; i < 3; i++)
      held.push(leaseOf(await p.limiter.acquireForGuardian(guardian, meta)));
    // Heartbeats every 60 s keep the leases (90 s) alive past their first term.
    clock.advance(60_000);
    expect(await Promise.all(held.map((l) => l.renew()))).toEqual([true, true, true]);
    clock.advance(60_000);
    expect((await p.limiter.acquireForGuardian(guardian, meta)).admitted).toBe(false);
    // The "crashed" holder stops renewing: 31 s later its leases are gone.
    clock.advance(31_000);
    const after = await p.limiter.acquireForGuardian(guardian, meta);
    expect(after).toMatchObject({ admitted: true, held: 1 });
    expect(await held[0]?.renew()).toBe(false);
  });

  it("caps connections per IP, counting an IPv6 /64 as one address", async () => {
    const clock = createTestClock();
    const p = processOn(makeStore(clock), clock, `test:${randomUUID()}`);
    for (let i = 1; i <= 5; i++) {
      expect((await p.limiter.acquireForIp(`2001:db8:1:2::${i}`, meta)).admitted).toBe(true);
    }
    expect(await p.limiter.acquireForIp("2001:db8:1:2:ffff::1", meta)).toMatchObject({
      admitted: false,
      scope: "ip",
      max: 5,
    });
    expect((await p.limiter.acquireForIp("2001:db8:1:3::1", meta)).admitted).toBe(true);
  });
});
