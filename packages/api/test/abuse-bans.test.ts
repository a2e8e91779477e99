import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestMeta } from "../src/context/request-facts";
import { createAbuseConfig } from "../src/abuse/abuse-config";
import { createAbuseProtection } from "../src/abuse/create-abuse-protection";
import type { AbuseProtection } from "../src/abuse/create-abuse-protection";
import { upgradeRefusal } from "../src/abuse/rate-limit-http";
import { NotFoundError } from "../src/errors/not-found-error";
import { banCacheKey } from "../src/abuse/ban-service";
import { startCuttableProxy } from "./support/cuttable-proxy";
import { createTestApi } from "./support/test-api";
import type { TestApi } from "./support/test-api";

const minute = 60_000;
const meta = (ip: string): RequestMeta => ({ ip, userAgent: "test", requestId: randomUUID() });

describe("failed authentication: backoff and bans on Redis and PostgreSQL", () => {
  let api: TestApi;
  const clients: Redis[] = [];
  const keyPrefix = `test:${randomUUID()}`;
  const protection = (redis: Redis | null): AbuseProtection =>
    createAbuseProtection({
      config: createAbuseConfig({ keyPrefix, backendTimeoutMs: 10_000 }),
      redis,
      prisma: api.prisma,
      clock: api.clock,
      onEventError: (error) => {
        throw error;
      },
    });
  const redisClient = (): Redis => {
    const client = new Redis(process.env.REDIS_URL ?? "");
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await api.close();
  });

  async function failTimes(p: AbuseProtection, ip: string, times: number) {
    const outcomes = [];
    for (let i = 0; i < times; i++) {
      outcomes.push(
        await p.authFailures.recordFailure({ identifier: `user-${i}`, meta: meta(ip) }),
      );
    }
    return outcomes;
  }

  it("backs off exponentially per identifier and per IP, and forgets on success", async () => {
    const p = protection(redisClient());
    const ip = "198.51.100.20";
    const attempt = { identifier: "alice@example.test", meta: meta(ip) };
    for (let i = 0; i < 3; i++) {
      expect((await p.authFailures.recordFailure(attempt)).retryAfterSeconds).toBe(0);
    }
    expect(await p.authFailures.check(attempt)).toEqual({ allowed: true });
    expect((await p.authFailures.recordFailure(attempt)).retryAfterSeconds).toBe(1);
    expect(await p.authFailures.check(attempt)).toEqual({
      allowed: false,
      reason: "backoff",
      retryAfterSeconds: 1,
    });
    // Another identifier from the same address is not slowed yet (IP allows 10 free).
    expect(await p.authFailures.check({ identifier: "bob@example.test", meta: meta(ip) })).toEqual({
      allowed: true,
    });
    api.clock.advance(1_000);
    expect(await p.authFailures.check(attempt)).toEqual({ allowed: true });
    expect((await p.authFailures.recordFailure(attempt)).retryAfterSeconds).toBe(2);
    expect((await p.authFailures.recordFailure(attempt)).retryAfterSeconds).toBe(4);
    await p.authFailures.recordSuccess(attempt);
    expect(await p.authFailures.check(attempt)).toEqual({ allowed: true });
    // Per IP: 11 failures under different identifiers slow the whole address.
    const ip2 = "198.51.100.21";
    const outcomes = await failTimes(p, ip2, 11);
    expect(outcomes.map((o) => o.retryAfterSeconds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(await p.authFailures.check({ identifier: "new", meta: meta(ip2) })).toMatchObject({
      allowed: false,
      reason: "backoff",
    });
    await p.events.flush();
  });

  it("bans after 20 failures in 10 minutes, escalates, expires, and is lifted with audit rows", async () => {
    const [a, b] = [protection(redisClient()), protection(redisClient())];
    const ip = "203.0.113.50";
    // 19 failures spread over two processes sharing Redis: not yet a ban.
    const first = await failTimes(a, ip, 10);
    const second = await failTimes(b, ip, 9);
    expect([...first, ...second].every((o) => o.ban === null)).toBe(true);
    expect(await b.bans.isBanned(ip)).toBeNull();
    const twentieth = await a.authFailures.recordFailure({ identifier: "x", meta: meta(ip) });
    expect(twentieth.ban).toMatchObject({ ip, strikes: 1 });
    expect(twentieth.ban?.expiresAt.getTime()).toBe(api.clock.now().getTime() + 15 * minute);
    expect(twentieth.retryAfterSeconds).toBe(15 * 60);

    // Refused before any work, in the other process too, on HTTP and at the upgrade.
    expect(await b.bans.isBanned(ip)).toMatchObject({ strikes: 1 });
    expect(await b.authFailures.check({ identifier: null, meta: meta(ip) })).toEqual({
      allowed: false,
      reason: "banned",
      retryAfterSeconds: 900,
    });
    const http = await b.admitHttp(ip, meta(ip));
    expect(http).toMatchObject({ admitted: false, status: 403, headers: { "Retry-After": "900" } });
    const upgrade = await a.admitUpgrade(ip, meta(ip));
    expect(upgrade.admitted).toBe(false);
    if (!upgrade.admitted) expect(upgradeRefusal(upgrade)).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    // The same address spelled as IPv4-mapped IPv6 is the same address.
    expect(await a.bans.isBanned("::ffff:203.0.113.50")).not.toBeNull();

    // Expiry follows the injected clock, not Redis's TTL.
    api.clock.advance(15 * minute);
    expect(await a.bans.isBanned(ip)).toBeNull();
    expect((await b.admitHttp(ip, meta(ip))).admitted).toBe(true);

    // Second ban: one hour. Lifted by an admin before it ends.
    const again = await failTimes(b, ip, 20);
    expect(again[19]?.ban).toMatchObject({ strikes: 2 });
    expect(again[19]?.ban?.expiresAt.getTime()).toBe(api.clock.now().getTime() + 60 * minute);
    const admin = { actorType: "USER" as const, actorId: randomUUID() };
    const lifted = await a.bans.liftBan(admin, ip, meta("192.0.2.200"));
    expect(lifted).toHaveLength(1);
    expect(lifted[0]).toMatchObject({ strikes: 2, liftedBy: `USER:${admin.actorId}` });
    expect(await b.bans.isBanned(ip)).toBeNull();
    await expect(a.bans.liftBan(admin, ip, meta("192.0.2.200"))).rejects.toThrow(NotFoundError);

    // Third: 24 h; a fourth stays at the last duration.
    expect((await failTimes(a, ip, 20))[19]?.ban).toMatchObject({ strikes: 3 });
    expect((await a.bans.listBans({ activeOnly: true, limit: 10 })).map((x) => x.strikes)).toEqual([
      3,
    ]);
    api.clock.advance(24 * 60 * minute);
    const fourth = (await failTimes(a, ip, 20))[19]?.ban;
    expect(fourth?.strikes).toBe(4);
    expect(fourth?.expiresAt.getTime()).toBe(api.clock.now().getTime() + 24 * 60 * minute);
    expect((await a.bans.listBans({ activeOnly: false, limit: 10 })).length).toBe(4);

    const audit = await api.prisma.auditEvent.findMany({
      where: { targetType: "IP", targetId: ip },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((row) => [row.action, row.actorType])).toEqual([
      ["ban_create", "SYSTEM"],
      ["ban_create", "SYSTEM"],
      ["ban_lift", "USER"],
      ["ban_create", "SYSTEM"],
      ["ban_create", "SYSTEM"],
    ]);
    await Promise.all([a.events.flush(), b.events.flush()]);
    const kinds = await api.prisma.securityEvent.findMany({
      where: { kind: { in: ["ip.banned", "ip.ban_lifted"] } },
      orderBy: { at: "asc" },
    });
    expect(kinds.map((e) => e.kind).sort()).toEqual([
      "ip.ban_lifted",
      "ip.banned",
      "ip.banned",
      "ip.banned",
      "ip.banned",
    ]);
  });

  it("answers from the database when Redis is unreachable, and restores the cache", async () => {
    const ip = "203.0.113.77";
    const healthy = protection(redisClient());
    await failTimes(healthy, ip, 20);
    const dead = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    dead.on("error", () => undefined);
    const cut = protection(dead);
    expect(await cut.bans.isBanned(ip)).toMatchObject({ strikes: 1 });
    expect((await cut.admitHttp(ip, meta(ip))).admitted).toBe(false);

    // A flushed Redis forgets bans until restoreCache copies them back.
    const admin = redisClient();
    await admin.del(...(await admin.keys(`${keyPrefix}:ban:*`)));
    expect(await healthy.bans.isBanned(ip)).toBeNull();
    expect(await healthy.bans.restoreCache()).toBeGreaterThanOrEqual(1);
    expect(await healthy.bans.isBanned(ip)).toMatchObject({ strikes: 1 });
    dead.disconnect();
  });

  it("puts a ban made while Redis was unreachable into Redis once it is back; a retried lift clears it", async () => {
    const shared = new URL(process.env.REDIS_URL ?? "");
    const proxy = await startCuttableProxy(Number(shared.port));
    const flaky = new Redis(proxy.port, "127.0.0.1", {
      password: decodeURIComponent(shared.password),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    flaky.on("error", () => undefined);
    const admin = redisClient();
    const p = protection(flaky);
    const ready = () =>
      new Promise<void>((resolve) => {
        if (flaky.status === "ready") resolve();
        else
          flaky.once("ready", () => {
            resolve();
          });
      });
    await ready();
    try {
      const ip = "203.0.113.88";
      proxy.cut();
      await p.bans.ban({ ip, reason: "test", meta: meta(ip) });
      // While Redis is away the record in PostgreSQL refuses the address.
      expect(await p.bans.isBanned(ip)).toMatchObject({ strikes: 1 });
      expect(await admin.exists(banCacheKey(keyPrefix, ip))).toBe(0);
      proxy.restore();
      await ready();
      expect(await p.bans.isBanned(ip)).toMatchObject({ strikes: 1 });
      expect(await admin.exists(banCacheKey(keyPrefix, ip))).toBe(1);

      // A lift that cannot reach Redis is recorded but reported as failed; retried once
      // Redis is back, it finds nothing active yet still clears the cached ban.
      proxy.cut();
      await expect(
        p.bans.liftBan({ actorType: "USER", actorId: null }, ip, meta(ip)),
      ).rejects.toThrow();
      proxy.restore();
      await ready();
      await expect(
        p.bans.liftBan({ actorType: "USER", actorId: null }, ip, meta(ip)),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await admin.exists(banCacheKey(keyPrefix, ip))).toBe(0);
      expect(await p.bans.isBanned(ip)).toBeNull();
    } finally {
      flaky.disconnect();
      await proxy.close();
    }
  });

  it("works the same in embedded mode (no Redis)", async () => {
    const p = protection(null);
    const ip = "2001:db8::99";
    const outcomes = await failTimes(p, ip, 20);
    expect(outcomes[19]?.ban).toMatchObject({ ip, strikes: 1 });
    expect(await p.bans.isBanned("2001:DB8:0:0::99")).not.toBeNull();
  });
});
