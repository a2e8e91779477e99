// What a limit check costs: @upstash/ratelimit's sliding window on the shared Redis
// (one EVALSHA round trip) against the embedded in-memory backend (same library, the
// script's TypeScript twin), measured in the same run. The refused case shows the
// per-process block cache answering without Redis.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createAbuseConfig } from "@conclave/api/abuse/abuse-config";
import { createRateLimiter } from "@conclave/api/abuse/create-rate-limiter";
import type { RateLimitBackend } from "@conclave/api/abuse/create-rate-limiter";
import { createIoRedisRatelimitAdapter } from "@conclave/api/abuse/ioredis-ratelimit-adapter";
import { createMemoryRatelimitRedis } from "@conclave/api/abuse/memory-ratelimit-redis";
import { systemClock } from "@conclave/api/clock/clock";
import { measure, report } from "../measure";

const meta = { ip: "192.0.2.1", userAgent: null, requestId: "bench" };
const events = { record: () => undefined, flush: () => Promise.resolve() };

function limiterOn(backend: RateLimitBackend) {
  const config = createAbuseConfig({
    keyPrefix: `bench:${randomUUID()}`,
    limits: { guardianCall: { max: 1_000_000_000 }, login: { max: 1 } },
  });
  return createRateLimiter({ config, backend, events, clock: systemClock });
}

export async function rateLimitBench(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "");
  try {
    const onMemory = limiterOn({ kind: "memory", redis: createMemoryRatelimitRedis(systemClock) });
    const onRedis = limiterOn({ kind: "redis", redis: createIoRedisRatelimitAdapter(redis) });
    // 1000 guardians take turns, as many sockets would.
    let turn = 0;
    const allowedCheck = (limiter: typeof onRedis) => () =>
      limiter.check({ name: "guardianCall", subject: [`g-${turn++ % 1000}`], meta });
    await onRedis.check({ name: "login", subject: ["flood"], meta });
    await onMemory.check({ name: "login", subject: ["flood"], meta });
    const refusedCheck = (limiter: typeof onRedis) => () =>
      limiter.check({ name: "login", subject: ["flood"], meta });

    for (const concurrency of [1, 50]) {
      const total = concurrency === 1 ? 5_000 : 20_000;
      const baseline = await measure(
        `in-memory, allowed (${concurrency} at a time)`,
        allowedCheck(onMemory),
        { total, concurrency },
      );
      const shared = await measure(
        `Redis, allowed (${concurrency} at a time)`,
        allowedCheck(onRedis),
        { total, concurrency },
      );
      const memoryRefused = await measure(
        `in-memory, refused (${concurrency} at a time)`,
        refusedCheck(onMemory),
        { total, concurrency },
      );
      const refused = await measure(
        `Redis, refused from block cache (${concurrency} at a time)`,
        refusedCheck(onRedis),
        { total, concurrency },
      );
      report(`rate-limit checks, ${concurrency} at a time`, baseline, [
        shared,
        memoryRefused,
        refused,
      ]);
    }
  } finally {
    await redis.quit();
  }
}
