import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase } from "@conclave/db/testing/create-test-database";
import type { TestDatabase } from "@conclave/db/testing/create-test-database";
import { startRedis } from "../../../scripts/test-services/redis";
import { systemClock } from "../src/clock/clock";
import type { RequestMeta } from "../src/context/request-facts";
import { createAbuseConfig } from "../src/abuse/abuse-config";
import { createAbuseProtection } from "../src/abuse/create-abuse-protection";
import type { AbuseConfig } from "../src/abuse/abuse-config";
import { createAbuseEventLog, createSecurityEventRecorder } from "../src/abuse/abuse-event-log";
import type { AbuseEventLog } from "../src/abuse/abuse-event-log";
import { createRateLimiter } from "../src/abuse/create-rate-limiter";
import type { RateLimiter } from "../src/abuse/create-rate-limiter";
import { createIoRedisRatelimitAdapter, sha1Hex } from "../src/abuse/ioredis-ratelimit-adapter";
import {
  UnknownScriptError,
  createMemoryRatelimitRedis,
} from "../src/abuse/memory-ratelimit-redis";
import { asLibraryRedis } from "../src/abuse/ratelimit-redis";

const redisUrl = process.env.REDIS_URL ?? "";
const meta = (ip: string): RequestMeta => ({ ip, userAgent: null, requestId: randomUUID() });
const discardEvents: AbuseEventLog = { record: () => undefined, flush: () => Promise.resolve() };

// A generous backend timeout: on a loaded machine a healthy Redis can miss a tight
// one, and the limit would then (correctly) degrade. Outage tests set their own.
function testConfig(overrides: Partial<AbuseConfig> = {}): AbuseConfig {
  return createAbuseConfig({
    keyPrefix: `test:${randomUUID()}`,
    backendTimeoutMs: 10_000,
    ...overrides,
  });
}

// The library reads Date.now for its windows: pin it 10 s into a minute so no test
// straddles a window boundary. Timers stay real (ioredis needs them).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-06-01T12:00:10.000Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

async function allowedCount(checks: Promise<{ allowed: boolean }>[]): Promise<number> {
  return (await Promise.all(checks)).filter((result) => result.allowed).length;
}

describe("rate limits on a shared Redis", () => {
  const clients: Redis[] = [];
  beforeAll(() => {
    expect(redisUrl, "REDIS_URL is required (run `npm test`)").not.toBe("");
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });
  const redisLimiter = (config: AbuseConfig): RateLimiter => {
    const client = new Redis(redisUrl);
    clients.push(client);
    return createRateLimiter({
      config,
      backend: { kind: "redis", redis: createIoRedisRatelimitAdapter(client) },
      events: discardEvents,
      clock: systemClock,
    });
  };

  it("lets exactly 10 logins per IP through across two processes", async () => {
    const config = testConfig();
    const [a, b] = [redisLimiter(config), redisLimiter(config)];
    const checks = Array.from({ length: 16 }, (_, i) =>
      (i % 2 === 0 ? a : b).check({
        name: "login",
        subject: ["203.0.113.7"],
        meta: meta("203.0.113.7"),
      }),
    );
    expect(await allowedCount(checks)).toBe(10);
    const next = await b.check({
      name: "login",
      subject: ["203.0.113.7"],
      meta: meta("203.0.113.7"),
    });
    expect(next).toMatchObject({ allowed: false, limit: 10, remaining: 0, source: "redis" });
    expect(next.retryAfterSeconds).toBe(50);
    // Another IP has its own budget.
    const other = await a.check({
      name: "login",
      subject: ["203.0.113.8"],
      meta: meta("203.0.113.8"),
    });
    expect(other).toMatchObject({ allowed: true, remaining: 9 });
  });

  it("counts 100 guardian calls and signing attempts per (transaction, guardian)", async () => {
    const config = testConfig();
    const [a, b] = [redisLimiter(config), redisLimiter(config)];
    const calls = Array.from({ length: 110 }, (_, i) =>
      (i % 2 === 0 ? a : b).check({
        name: "guardianCall",
        subject: ["g-1"],
        meta: meta("198.51.100.1"),
      }),
    );
    expect(await allowedCount(calls)).toBe(100);
    const signing = Array.from({ length: 25 }, (_, i) =>
      (i % 2 === 0 ? a : b).check({
        name: "signingAttempt",
        subject: ["tx-1", "g-1"],
        meta: meta("198.51.100.1"),
      }),
    );
    expect(await allowedCount(signing)).toBe(20);
    const otherTx = await a.check({
      name: "signingAttempt",
      subject: ["tx-2", "g-1"],
      meta: meta("198.51.100.1"),
    });
    expect(otherTx.allowed).toBe(true);
  });

  it("reloads its scripts after Redis forgets them", async () => {
    const config = testConfig();
    const limiter = redisLimiter(config);
    const check = () =>
      limiter.check({ name: "join", subject: ["192.0.2.1"], meta: meta("192.0.2.1") });
    expect((await check()).remaining).toBe(9);
    const admin = new Redis(redisUrl);
    await admin.script("FLUSH");
    await admin.quit();
    expect(await check()).toMatchObject({ allowed: true, remaining: 8, source: "redis" });
  });
});

describe("the in-memory backend", () => {
  const memoryLimiter = (config: AbuseConfig): RateLimiter =>
    createRateLimiter({
      config,
      backend: { kind: "memory", redis: createMemoryRatelimitRedis(systemClock) },
      events: discardEvents,
      clock: systemClock,
    });

  it("gives the same counts as Redis", async () => {
    const limiter = memoryLimiter(testConfig());
    const results = await Promise.all(
      Array.from({ length: 11 }, () =>
        limiter.check({ name: "login", subject: ["203.0.113.7"], meta: meta("203.0.113.7") }),
      ),
    );
    expect(results.map((r) => r.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]);
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results[10]).toMatchObject({ allowed: false, source: "memory", retryAfterSeconds: 50 });
  });

  it("weighs the previous window like the Lua script does", async () => {
    const limiter = memoryLimiter(testConfig());
    const subject = { name: "login" as const, subject: ["203.0.113.9"], meta: meta("203.0.113.9") };
    expect(await allowedCount(Array.from({ length: 12 }, () => limiter.check(subject)))).toBe(10);
    // 45 s into the next minute, a quarter of the previous window's 10 still count: 2.
    vi.setSystemTime(new Date("2026-06-01T12:01:45.000Z"));
    expect(await allowedCount(Array.from({ length: 12 }, () => limiter.check(subject)))).toBe(8);
  });

  it("refuses a script it has no twin for, loudly", async () => {
    const backend = createMemoryRatelimitRedis(systemClock);
    await expect(backend.eval("return 1", [], [])).rejects.toThrow(UnknownScriptError);
    await expect(backend.evalsha(sha1Hex("return 1"), [], [])).rejects.toThrow(/no implementation/);
    const fixed = new Ratelimit({
      redis: asLibraryRedis(backend),
      limiter: Ratelimit.fixedWindow(10, "1 m"),
      ephemeralCache: false,
      enableTelemetry: false,
    });
    await expect(fixed.limit("x")).rejects.toThrow(UnknownScriptError);
  });
});

describe("Redis stopped mid-test", () => {
  let workDir: string;
  let database: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "abuse-redis-"));
    database = await createTestDatabase();
    prisma = createPrismaClient({ url: database.appUrl, max: 4 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
    await rm(workDir, { recursive: true, force: true });
  });

  it.each([
    {
      transport: "queued commands (library timeout)",
      options: { maxRetriesPerRequest: null },
      timeoutMs: 2_000,
    },
    {
      transport: "offline queue off (command errors)",
      options: { enableOfflineQueue: false },
      timeoutMs: 10_000,
    },
  ])(
    "fails closed for login, falls back for guardian calls: $transport",
    async ({ options, timeoutMs }) => {
      const server = await startRedis(workDir);
      const client = new Redis(server.url, { ...options, lazyConnect: true });
      await client.connect();
      client.on("error", () => undefined);
      const events = createAbuseEventLog(
        createSecurityEventRecorder(prisma, systemClock),
        (error) => {
          throw error;
        },
      );
      const limiter = createRateLimiter({
        config: testConfig({ backendTimeoutMs: timeoutMs }),
        backend: { kind: "redis", redis: createIoRedisRatelimitAdapter(client) },
        events,
        clock: systemClock,
      });
      const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
      const login = () => limiter.check({ name: "login", subject: [ip], meta: meta(ip) });
      const call = () => limiter.check({ name: "guardianCall", subject: ["g-9"], meta: meta(ip) });
      expect(await login()).toMatchObject({ allowed: true, source: "redis" });
      expect(await call()).toMatchObject({ allowed: true, source: "redis" });

      await server.stop();

      expect(await login()).toMatchObject({
        allowed: false,
        source: "unavailable",
        retryAfterSeconds: 5,
      });
      expect(await call()).toMatchObject({
        allowed: true,
        source: "local-fallback",
        remaining: 99,
      });
      // The fallback still limits: the local budget is the same 100.
      const burst = await allowedCount(Array.from({ length: 120 }, () => call()));
      expect(burst).toBe(99);
      await events.flush();
      const recorded = await prisma.securityEvent.findMany({
        where: { kind: "rate_limit.backend_unavailable", ip },
      });
      const seen = recorded.map((e) => [(e.details as { limit: string }).limit, e.severity]);
      expect(seen.sort()).toEqual([
        ["guardianCall", "WARN"],
        ["login", "CRITICAL"],
      ]);
      client.disconnect();
    },
  );

  it("keeps connection caps, backoff and bans working on the fallbacks", async () => {
    const server = await startRedis(workDir);
    const client = new Redis(server.url, { enableOfflineQueue: false, lazyConnect: true });
    await client.connect();
    client.on("error", () => undefined);
    const protection = createAbuseProtection({
      config: testConfig(),
      redis: client,
      prisma,
      clock: systemClock,
      onEventError: (error) => {
        throw error;
      },
    });
    const ip = "192.0.2.222";
    const bannedIp = "192.0.2.223";
    for (let i = 0; i < 20; i++) {
      await protection.authFailures.recordFailure({ identifier: null, meta: meta(bannedIp) });
    }
    const guardian = randomUUID();
    const first = await protection.connections.acquireForGuardian(guardian, meta(ip));
    expect(first.admitted).toBe(true);

    await server.stop();

    // Bans come from the database; slots and failures count in this process.
    expect(await protection.admitHttp(bannedIp, meta(bannedIp))).toMatchObject({
      admitted: false,
      status: 403,
    });
    expect((await protection.admitUpgrade(ip, meta(ip))).admitted).toBe(true);
    const slots = [];
    for (let i = 0; i < 4; i++) {
      slots.push(await protection.connections.acquireForGuardian(guardian, meta(ip)));
    }
    expect(slots.map((slot) => slot.admitted)).toEqual([true, true, true, false]);
    // The slot taken on Redis before the outage renews without error (kept until Redis returns).
    if (first.admitted) expect(await first.lease.renew()).toBe(true);
    for (let i = 0; i < 4; i++) {
      await protection.authFailures.recordFailure({ identifier: "carol", meta: meta(ip) });
    }
    expect(
      await protection.authFailures.check({ identifier: "carol", meta: meta(ip) }),
    ).toMatchObject({
      allowed: false,
      reason: "backoff",
    });
    // Login fails closed, asking the client back after the outage retry delay.
    expect(
      await protection.limiter.check({ name: "login", subject: [ip], meta: meta(ip) }),
    ).toMatchObject({ allowed: false, source: "unavailable", retryAfterSeconds: 5 });
    await protection.events.flush();
    const kinds = await prisma.securityEvent.findMany({
      where: {
        kind: { in: ["abuse_store.unavailable", "ip.ban_refused", "connection.limit_exceeded"] },
      },
    });
    expect(new Set(kinds.map((e) => e.kind))).toEqual(
      new Set(["abuse_store.unavailable", "ip.ban_refused", "connection.limit_exceeded"]),
    );
    client.disconnect();
  });
});
