import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestMeta } from "../src/context/request-facts";
import { createAbuseConfig } from "../src/abuse/abuse-config";
import { callLimitFor, enforceRateLimit } from "../src/abuse/call-limit-for-principal";
import { createAbuseProtection } from "../src/abuse/create-abuse-protection";
import type { AbuseProtection } from "../src/abuse/create-abuse-protection";
import { rateLimitHeaders, rateLimitedErrorHeaders } from "../src/abuse/rate-limit-http";
import { RateLimitedError } from "../src/abuse/rate-limited-error";
import type { RateLimitResult } from "../src/abuse/rate-limit-result";
import { trackAuthAttempt } from "../src/abuse/track-auth-attempt";
import { AuthenticationError } from "../src/errors/authentication-error";
import { toTrpcError } from "../src/errors/to-trpc-error";
import { createTestApi } from "./support/test-api";
import type { TestApi } from "./support/test-api";

const meta = (ip: string): RequestMeta => ({ ip, userAgent: null, requestId: randomUUID() });

// The library reads Date.now for its windows: pin it inside one window.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-06-01T12:00:10.000Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("HTTP and tRPC refusals (embedded mode)", () => {
  let api: TestApi;
  let abuse: AbuseProtection;
  beforeAll(async () => {
    api = await createTestApi();
    abuse = createAbuseProtection({
      config: createAbuseConfig({ keyPrefix: "t", limits: { login: { max: 2 } } }),
      redis: null,
      prisma: api.prisma,
      clock: api.clock,
      onEventError: (error) => {
        throw error;
      },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it("refuses past the limit with Retry-After and RateLimit headers and one security event", async () => {
    const ip = "198.51.100.60";
    const check = { name: "login" as const, subject: [ip], meta: meta(ip) };
    await enforceRateLimit(abuse.limiter, check);
    await enforceRateLimit(abuse.limiter, check);
    const refused = await enforceRateLimit(abuse.limiter, check).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    if (!(refused instanceof RateLimitedError)) return;
    expect(refused.reason).toBe("rate_limited");
    const headers = rateLimitedErrorHeaders(refused, Date.now());
    expect(headers).toMatchObject({ "RateLimit-Limit": "2", "RateLimit-Remaining": "0" });
    expect(Number(headers["Retry-After"])).toBe(refused.retryAfterSeconds);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await abuse.limiter.check(check);
    await abuse.events.flush();
    expect(
      await api.prisma.securityEvent.count({ where: { kind: "rate_limit.exceeded", ip } }),
    ).toBe(1);
  });

  it("formats headers from a result", () => {
    const result: RateLimitResult = {
      name: "guardianCall",
      allowed: false,
      limit: 100,
      remaining: 0,
      reset: 61_000,
      retryAfterSeconds: 60,
      source: "redis",
    };
    expect(rateLimitHeaders(result, 1_000)).toEqual({
      "RateLimit-Limit": "100",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "60",
      "Retry-After": "60",
    });
    expect(rateLimitHeaders({ ...result, allowed: true, remaining: 7 }, 1_000)).not.toHaveProperty(
      "Retry-After",
    );
    // A refusal without a limit result (backoff, ban) still says when to come back.
    expect(rateLimitedErrorHeaders(new RateLimitedError("backoff", 4), 1_000)).toEqual({
      "Retry-After": "4",
    });
  });

  it("refuses authenticated calls past 100 per guardian with TOO_MANY_REQUESTS", async () => {
    const guardian = {
      kind: "session" as const,
      subjectType: "GUARDIAN" as const,
      subjectId: randomUUID(),
      role: "GUARDIAN" as const,
      sessionId: randomUUID(),
      accessTokenExpiresAt: null,
    };
    const check = callLimitFor(guardian, "query", meta("192.0.2.5"));
    expect(check).toMatchObject({ name: "guardianCall", subject: [guardian.subjectId] });
    for (let i = 0; i < 100; i++) await enforceRateLimit(abuse.limiter, check);
    const refused = await enforceRateLimit(abuse.limiter, check).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    const trpc = toTrpcError(refused);
    expect(trpc?.code).toBe("TOO_MANY_REQUESTS");
    expect((trpc?.cause as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Admin budgets: reads and writes apart, per principal.
    const key = {
      kind: "apiKey" as const,
      apiKeyId: "k1",
      createdById: "u1",
      role: "ADMIN" as const,
      scopes: [],
    };
    expect(callLimitFor(key, "mutation", meta("192.0.2.5"))).toMatchObject({
      name: "adminWrite",
      subject: ["API_KEY", "k1"],
    });
  });

  it("tracks a credential check: failures back off, success forgets", async () => {
    const attempt = { identifier: "pubkey-1", meta: meta("192.0.2.77") };
    const fail = () =>
      trackAuthAttempt(abuse.authFailures, attempt, () =>
        Promise.reject(new AuthenticationError("bad_signature", "Login failed")),
      );
    for (let i = 0; i < 4; i++) await expect(fail()).rejects.toThrow(AuthenticationError);
    const refused = await fail().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ reason: "backoff", retryAfterSeconds: 1 });
    await expect(fail()).rejects.toThrow(RateLimitedError);
    await abuse.events.flush();
    // Knocking again during the same backoff records no second event.
    expect(
      await api.prisma.securityEvent.count({
        where: { kind: "auth.backoff_refused", ip: "192.0.2.77" },
      }),
    ).toBe(1);
    api.clock.advance(1_000);
    expect(await trackAuthAttempt(abuse.authFailures, attempt, () => Promise.resolve("ok"))).toBe(
      "ok",
    );
    expect(await abuse.authFailures.check(attempt)).toEqual({ allowed: true });
  });
});
