import { once } from "node:events";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../clock/clock";
import type { AbuseConfigOverrides } from "./abuse-config";
import { createAbuseConfig } from "./abuse-config";
import type { AbuseProtection } from "./create-abuse-protection";
import { createAbuseProtection } from "./create-abuse-protection";
import { createRedisClient } from "../events/create-redis-client";
import { logRedisErrors } from "../events/log-redis-errors";

export type ProcessAbuseProtectionOptions = {
  /** The shared Redis; undefined in embedded mode (everything in this process). */
  redisUrl: string | undefined;
  /** REDIS_CA_FILE, for a rediss:// URL under a private CA. */
  redisCaFile?: string | undefined;
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  overrides?: AbuseConfigOverrides;
  /**
   * How often the ban cache is resynced with the database: Redis may have been flushed
   * (every 5 min); a process-local cache may have missed another process's
   * notification of a ban or a lift (every 5 s, the longest a missed lift lingers).
   */
  restoreEveryMs?: number;
  /** How long start waits for Redis before going on degraded (the policies apply). */
  connectTimeoutMs?: number;
};

export type ProcessAbuseProtection = {
  abuse: AbuseProtection;
  /** Whether its Redis connection is ready (the metrics' Redis gauge); undefined without Redis. */
  redisReady: (() => boolean) | undefined;
  /** Stops the restore timer, writes pending security events, disconnects Redis. */
  close(): Promise<void>;
};

/**
 * What a front door builds once per process: abuse protection on its own Redis client
 * (no offline queue, so a dead Redis fails at once instead of at the 1 s timeout),
 * with the ban cache restored at start and every `restoreEveryMs`.
 */
export async function createProcessAbuseProtection(
  options: ProcessAbuseProtectionOptions,
): Promise<ProcessAbuseProtection> {
  const { logger } = options;
  const redis =
    options.redisUrl === undefined
      ? null
      : createRedisClient(
          { url: options.redisUrl, caFile: options.redisCaFile },
          { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
        );
  // ioredis reconnects by itself; an error event without a listener would crash.
  if (redis) logRedisErrors(redis, logger, "abuse protection");
  if (redis) {
    // A first connection error ends the wait (ioredis keeps reconnecting).
    const ready = once(redis, "ready").then(
      () => true,
      () => false,
    );
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => {
        resolve(false);
      }, options.connectTimeoutMs ?? 5_000).unref(),
    );
    if (!(await Promise.race([ready, timeout])))
      logger.warn("abuse protection: redis not ready; limits apply their outage policy");
  }
  const abuse = createAbuseProtection({
    config: createAbuseConfig(options.overrides),
    redis,
    prisma: options.prisma,
    clock: options.clock,
    onEventError: (err, event) => {
      logger.error({ err, kind: event.kind }, "security event lost");
    },
  });
  const restore = async () => {
    try {
      await abuse.bans.restoreCache();
    } catch (err) {
      logger.warn({ err }, "abuse protection: ban cache not restored");
    }
  };
  await restore();
  const timer = setInterval(
    () => void restore(),
    options.restoreEveryMs ?? (redis ? 5 * 60_000 : 5_000),
  );
  timer.unref();
  return {
    abuse,
    redisReady: redis ? () => redis.status === "ready" : undefined,
    async close() {
      clearInterval(timer);
      await abuse.events.flush();
      redis?.disconnect();
    },
  };
}
