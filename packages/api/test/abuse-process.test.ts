import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { banCacheKey } from "../src/abuse/ban-service";
import { createProcessAbuseProtection } from "../src/abuse/create-process-abuse-protection";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

describe("abuse protection as a front door builds it (real Redis)", () => {
  let api: TestApi;
  let client: Redis;
  beforeAll(async () => {
    api = await createTestApi();
    client = new Redis(process.env.REDIS_URL ?? "");
  });
  afterAll(async () => {
    client.disconnect();
    await api.close();
  });

  it("restores the ban cache at start and writes pending security events at close", async () => {
    const keyPrefix = `process-${randomUUID()}`;
    const options = {
      redisUrl: process.env.REDIS_URL,
      prisma: api.prisma,
      clock: api.clock,
      logger: api.deps.logger,
      overrides: { keyPrefix },
    };
    const ip = "198.51.100.77";
    const first = await createProcessAbuseProtection(options);
    const meta = { ip, userAgent: null, requestId: randomUUID() };
    await first.abuse.bans.ban({ ip, reason: "test", meta });
    await first.close();
    expect(await api.prisma.securityEvent.count({ where: { kind: "ip.banned", ip } })).toBe(1);

    // Redis lost the ban (flush, failover); the next process puts it back from the record.
    await client.del(banCacheKey(keyPrefix, ip));
    expect(await client.exists(banCacheKey(keyPrefix, ip))).toBe(0);
    const second = await createProcessAbuseProtection(options);
    expect(await client.exists(banCacheKey(keyPrefix, ip))).toBe(1);
    const admission = await second.abuse.admitHttp(ip, meta);
    expect(admission).toMatchObject({ admitted: false, status: 403 });
    await second.close();
  });

  it("starts degraded, without throwing, when Redis is unreachable", async () => {
    const degraded = await createProcessAbuseProtection({
      redisUrl: "redis://127.0.0.1:1",
      prisma: api.prisma,
      clock: api.clock,
      logger: api.deps.logger,
      connectTimeoutMs: 200,
    });
    const meta = { ip: "198.51.100.78", userAgent: null, requestId: randomUUID() };
    // Login fails closed while its backend is down; challenges count in this process.
    const check = (name: "login" | "challenge") =>
      degraded.abuse.limiter.check({ name, subject: [meta.ip], meta });
    expect(await check("login")).toMatchObject({ allowed: false, source: "unavailable" });
    expect(await check("challenge")).toMatchObject({ allowed: true, source: "local-fallback" });
    await degraded.close();
  });
});
