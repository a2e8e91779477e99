import type { Redis } from "ioredis";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { SecurityEventInput } from "../services/security-events/record-security-event";
import type { AbuseConfig } from "./abuse-config";
import type { AbuseEventLog, RecordAbuseEvent } from "./abuse-event-log";
import { createAbuseEventLog, createSecurityEventRecorder } from "./abuse-event-log";
import type { SecurityEventAggregator } from "./aggregate-security-events";
import { createSecurityEventAggregator } from "./aggregate-security-events";
import type { AuthFailureTracker } from "./auth-failure-tracker";
import { authFailureIpKeys, createAuthFailureTracker } from "./auth-failure-tracker";
import type { BanService } from "./ban-service";
import { createBanService } from "./ban-service";
import type { ConnectionAdmission, ConnectionLimiter } from "./create-connection-limiter";
import { createConnectionLimiter } from "./create-connection-limiter";
import type { RateLimiter } from "./create-rate-limiter";
import { createRateLimiter } from "./create-rate-limiter";
import { BoundedMap } from "./bounded-map";
import { createIoRedisRatelimitAdapter } from "./ioredis-ratelimit-adapter";
import { createMemoryAbuseStore } from "./memory-abuse-store";
import { createMemoryRatelimitRedis } from "./memory-ratelimit-redis";
import { createRedisAbuseStore } from "./redis-abuse-store";
import { createResilientStore } from "./resilient-store";
import type { HttpRefusal } from "./rate-limit-http";
import { bannedRefusal } from "./rate-limit-http";

export type AbuseProtectionOptions = {
  config: AbuseConfig;
  /** The shared Redis (production); null in embedded mode (everything in this process). */
  redis: Redis | null;
  prisma: PrismaClient;
  clock: Clock;
  /** Defaults to services/security/record-security-event on `prisma`. */
  recordSecurityEvent?: RecordAbuseEvent;
  /** A security event that could not be written (log it; never thrown into a request). */
  onEventError: (error: unknown, event: SecurityEventInput) => void;
};

export type HttpAdmission = { admitted: true } | ({ admitted: false } & HttpRefusal);

export type UpgradeAdmission =
  | { admitted: true; lease: Extract<ConnectionAdmission, { admitted: true }>["lease"] }
  | ({ admitted: false } & HttpRefusal);

export type AbuseProtection = {
  config: AbuseConfig;
  limiter: RateLimiter;
  connections: ConnectionLimiter;
  authFailures: AuthFailureTracker;
  bans: BanService;
  /** `flush` also writes the counts `denials` still holds. */
  events: AbuseEventLog;
  /** Denials a client can cause at will (bad tokens), at most two rows per address a minute. */
  denials: SecurityEventAggregator;
  /**
   * Front door of an HTTP request, before any work: refuses a banned address (403).
   * Per-IP limits are counted by the procedures themselves, whatever the transport.
   */
  admitHttp(ip: string | null, meta: RequestMeta): Promise<HttpAdmission>;
  /** Front door of a WebSocket upgrade: ban check, then a per-IP connection slot. */
  admitUpgrade(ip: string | null, meta: RequestMeta): Promise<UpgradeAdmission>;
};

export function createAbuseProtection(options: AbuseProtectionOptions): AbuseProtection {
  const { config, redis, prisma, clock } = options;
  const eventLog = createAbuseEventLog(
    options.recordSecurityEvent ?? createSecurityEventRecorder(prisma, clock),
    options.onEventError,
  );
  const denials = createSecurityEventAggregator({ events: eventLog, clock, windowMs: 60_000 });
  const events: AbuseEventLog = {
    record: (meta, event) => {
      eventLog.record(meta, event);
    },
    flush: () => {
      denials.flush();
      return eventLog.flush();
    },
  };
  const memoryStore = createMemoryAbuseStore(clock);
  const primaryStore = redis ? createRedisAbuseStore(redis) : memoryStore;
  const systemMeta = (): RequestMeta => ({ ip: null, userAgent: null, requestId: "abuse-store" });
  let lastStoreEvent = -Infinity;
  const store = createResilientStore({
    primary: primaryStore,
    fallback: memoryStore,
    clock,
    timeoutMs: config.backendTimeoutMs,
    retryAfterMs: config.backendRetryAfterMs,
    onUnavailable: (cause) => {
      const now = clock.now().getTime();
      if (now - lastStoreEvent < config.backendRetryAfterMs) return;
      lastStoreEvent = now;
      events.record(systemMeta(), {
        kind: "abuse_store.unavailable",
        severity: "WARN",
        details: { cause, fallback: "process-local connection slots and failure counts" },
      });
    },
  });
  const limiter = createRateLimiter({
    config,
    backend: redis
      ? { kind: "redis", redis: createIoRedisRatelimitAdapter(redis) }
      : { kind: "memory", redis: createMemoryRatelimitRedis(clock) },
    events,
    clock,
  });
  const bans = createBanService({
    prisma,
    cache: primaryStore,
    events,
    clock,
    policy: config.authFailures,
    keyPrefix: config.keyPrefix,
    cacheTimeoutMs: config.backendTimeoutMs,
    forgetOnLift: (ip) => authFailureIpKeys(config.keyPrefix, ip),
  });
  const authFailures = createAuthFailureTracker({
    policy: config.authFailures,
    store,
    bans,
    events,
    clock,
    keyPrefix: config.keyPrefix,
  });
  const connections = createConnectionLimiter({
    caps: config.connections,
    store,
    events,
    clock,
    keyPrefix: config.keyPrefix,
  });

  // One event per ban per process, however long the banned client keeps knocking.
  const reportedBans = new BoundedMap<string, true>(10_000);

  async function banRefusal(ip: string | null, meta: RequestMeta): Promise<HttpRefusal | null> {
    const ban = ip === null ? null : await bans.isBanned(ip);
    if (ban === null) return null;
    if (!reportedBans.has(ban.banId)) {
      reportedBans.set(ban.banId, true);
      events.record(meta, {
        kind: "ip.ban_refused",
        severity: "INFO",
        details: { banId: ban.banId, strikes: ban.strikes },
      });
    }
    return bannedRefusal(
      Math.max(1, Math.ceil((ban.expiresAt.getTime() - clock.now().getTime()) / 1000)),
    );
  }

  return {
    config,
    limiter,
    connections,
    authFailures,
    bans,
    events,
    denials,
    async admitHttp(ip, meta) {
      const banned = await banRefusal(ip, meta);
      return banned ? { admitted: false, ...banned } : { admitted: true };
    },
    async admitUpgrade(ip, meta) {
      const banned = await banRefusal(ip, meta);
      if (banned) return { admitted: false, ...banned };
      const slot = await connections.acquireForIp(ip ?? "unknown", meta);
      if (slot.admitted) return { admitted: true, lease: slot.lease };
      const retryAfterSeconds = Math.ceil(config.connections.leaseMs / 1000);
      return {
        admitted: false,
        status: 429,
        headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "application/json" },
        body: JSON.stringify({
          error: {
            code: "TOO_MANY_REQUESTS",
            reason: "too_many_connections",
            message: slot.reason,
          },
        }),
      };
    },
  };
}
