import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestMeta } from "../src/context/request-facts";
import { createAbuseConfig, defaultAbuseConfig } from "../src/abuse/abuse-config";
import { createAbuseProtection, type AbuseProtection } from "../src/abuse/create-abuse-protection";
import { RateLimitedError } from "../src/abuse/rate-limited-error";
import { trackAuthAttempt } from "../src/abuse/track-auth-attempt";
import { AuthenticationError } from "../src/errors/authentication-error";
import { createTestApi, type TestApi } from "./support/test-api";

const meta = (ip: string): RequestMeta => ({ ip, userAgent: "test", requestId: randomUUID() });

/** A credential check that takes a moment (as argon2 or a database read does) and is wrong. */
function wrongCredential(evaluated: { count: number }) {
  return async (): Promise<never> => {
    evaluated.count++;
    await sleep(20);
    throw new AuthenticationError("wrong_password");
  };
}

describe("credential attempts under backoff and bans", () => {
  let api: TestApi;
  const clients: Redis[] = [];

  beforeAll(async () => {
    api = await createTestApi();
  });
  beforeEach(() => {
    // The rate-limit library reads Date.now itself; it follows the test clock.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(api.clock.now());
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await api.close();
  });

  const advance = (ms: number): void => {
    api.clock.advance(ms);
    vi.setSystemTime(api.clock.now());
  };

  const backends = {
    redis: () => {
      const client = new Redis(process.env.REDIS_URL ?? "");
      clients.push(client);
      return client;
    },
    memory: () => null,
  };

  function protection(backend: keyof typeof backends): AbuseProtection {
    return createAbuseProtection({
      config: createAbuseConfig({ keyPrefix: `test:${randomUUID()}`, backendTimeoutMs: 10_000 }),
      redis: backends[backend](),
      prisma: api.prisma,
      clock: api.clock,
      onEventError: (error) => {
        throw error;
      },
    });
  }

  for (const backend of ["redis", "memory"] as const) {
    it(`evaluates one of 8 parallel guesses fired when a backoff ends (${backend})`, async () => {
      const p = protection(backend);
      const attempt = { identifier: "alice@example.test", meta: meta("198.51.100.70") };
      const evaluated = { count: 0 };
      // 3 free failures, then a 4th that earns 1 s of backoff.
      for (let i = 0; i < 4; i++) {
        await expect(
          trackAuthAttempt(p.authFailures, attempt, wrongCredential(evaluated)),
        ).rejects.toBeInstanceOf(AuthenticationError);
      }
      advance(1_000);
      evaluated.count = 0;
      const burst = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          trackAuthAttempt(p.authFailures, attempt, wrongCredential(evaluated)),
        ),
      );
      expect(evaluated.count).toBe(1);
      const reasons = burst.map((outcome) =>
        outcome.status === "rejected" ? (outcome.reason as Error).constructor.name : "fulfilled",
      );
      expect(reasons.filter((name) => name === "AuthenticationError")).toHaveLength(1);
      expect(reasons.filter((name) => name === "RateLimitedError")).toHaveLength(7);
      await p.events.flush();
    });

    it(`does not count an attempt whose check never judged the credential (${backend})`, async () => {
      const p = protection(backend);
      const attempt = { identifier: "bob@example.test", meta: meta("198.51.100.71") };
      for (let i = 0; i < 12; i++) {
        await expect(
          trackAuthAttempt(p.authFailures, attempt, () => Promise.reject(new Error("db down"))),
        ).rejects.toThrow("db down");
      }
      expect(await p.authFailures.check(attempt)).toEqual({ allowed: true });
      // A success does not leave its reserved entry in the address's log either.
      for (let i = 0; i < 12; i++) {
        await trackAuthAttempt(p.authFailures, { ...attempt, identifier: `u${i}` }, () =>
          Promise.resolve("ok"),
        );
      }
      expect(await p.authFailures.check(attempt)).toEqual({ allowed: true });
    });
  }

  it("bans a client that fails as fast as backoff and the per-IP limit allow, within the window", async () => {
    const p = protection("redis");
    const ip = "203.0.113.80";
    const startedAt = api.clock.now().getTime();
    let failures = 0;
    // The patient attacker: it never knocks early (it reads the wait off the tracker
    // without being counted), so only real failures count toward its ban.
    while ((await p.bans.isBanned(ip)) === null) {
      if (api.clock.now().getTime() - startedAt > 2 * 60 * 60_000) throw new Error("never banned");
      const attempt = { identifier: `guess-${failures}`, meta: meta(ip) };
      const gate = await p.authFailures.check(attempt);
      if (!gate.allowed) {
        advance(gate.retryAfterSeconds * 1_000);
        continue;
      }
      const limit = await p.limiter.check({ name: "login", subject: [ip], meta: attempt.meta });
      if (!limit.allowed) {
        advance(limit.retryAfterSeconds * 1_000);
        continue;
      }
      await expect(
        trackAuthAttempt(p.authFailures, attempt, wrongCredential({ count: 0 })),
      ).rejects.toBeInstanceOf(AuthenticationError);
      failures++;
    }
    const { banThreshold, banWindowMs } = defaultAbuseConfig.authFailures;
    expect(failures).toBe(banThreshold);
    expect(api.clock.now().getTime() - startedAt).toBeLessThan(banWindowMs);
    await p.events.flush();
  });

  it("bans a client that ignores Retry-After: refusals count toward the ban", async () => {
    const p = protection("memory");
    const ip = "203.0.113.81";
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i++) {
      try {
        await trackAuthAttempt(p.authFailures, { identifier: `g${i}`, meta: meta(ip) }, () =>
          Promise.reject(new AuthenticationError("wrong_password")),
        );
      } catch (error) {
        outcomes.push(error instanceof RateLimitedError ? error.reason : "wrong");
      }
    }
    const free = defaultAbuseConfig.authFailures.freeFailuresPerIp;
    const threshold = defaultAbuseConfig.authFailures.banThreshold;
    expect(outcomes.slice(0, free + 1)).toEqual(Array<string>(free + 1).fill("wrong"));
    expect(outcomes.slice(free + 1, threshold - 1)).toEqual(
      Array<string>(threshold - free - 2).fill("backoff"),
    );
    expect(outcomes.slice(threshold - 1)).toEqual(Array<string>(25 - threshold + 1).fill("banned"));
    expect(await p.bans.isBanned(ip)).not.toBeNull();
    await p.events.flush();
  });
});
