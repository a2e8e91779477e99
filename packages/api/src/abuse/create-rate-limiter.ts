import { Ratelimit } from "@upstash/ratelimit";
import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { AbuseConfig, LimitName, LimitSpec } from "./abuse-config";
import type { AbuseEventLog } from "./abuse-event-log";
import { BoundedMap } from "./bounded-map";
import { limitIdentifier } from "./limiter-keys";
import { UnknownScriptError, createMemoryRatelimitRedis } from "./memory-ratelimit-redis";
import type { RatelimitRedis } from "./ratelimit-redis";
import { asLibraryRedis } from "./ratelimit-redis";
import type { RateLimitResult, RateLimitSource } from "./rate-limit-result";

/** `redis`: shared by every process (production). `memory`: embedded, one process. */
export type RateLimitBackend = { kind: "redis" | "memory"; redis: RatelimitRedis };

export type RateLimitCheck = {
  name: LimitName;
  /** What is counted: [ip], [guardianId], [principalId], [transactionId, guardianId]. */
  subject: readonly string[];
  meta: RequestMeta;
  /** Named on security events (e.g. the guardian), never secret. */
  eventSubject?: { type: string; id: string };
};

export type RateLimiter = {
  check(check: RateLimitCheck): Promise<RateLimitResult>;
};

export type RateLimiterOptions = {
  config: AbuseConfig;
  backend: RateLimitBackend;
  events: AbuseEventLog;
  /** Decides when Redis may be tried again and throttles events. The library itself reads Date.now. */
  clock: Clock;
  /** Entries in the per-process block cache of each Redis-backed limit. */
  ephemeralCacheSize?: number;
};

type NamedLimiter = { spec: LimitSpec; primary: Ratelimit; fallback: Ratelimit };

function windowOf(spec: LimitSpec): `${number} ms` {
  return `${spec.windowMs} ms`;
}

/**
 * Sliding-window limits on @upstash/ratelimit. Redis-backed limits keep the library's
 * ephemeral block cache (bounded): once an identifier is refused, this process refuses
 * it until the window ends without asking Redis, which only ever refuses more, never
 * lets more through, so cross-process counts stay exact while a flood costs no round
 * trips. When Redis times out (the library then answers success with reason "timeout")
 * or errors, each limit applies its policy and a security event is recorded.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { config, backend, events, clock } = options;
  const fallbackRedis = createMemoryRatelimitRedis(clock);
  const limiters = new Map<LimitName, NamedLimiter>();
  for (const [name, spec] of Object.entries(config.limits) as [LimitName, LimitSpec][]) {
    const prefix = `${config.keyPrefix}:rl:${name}`;
    const algorithm = Ratelimit.slidingWindow(spec.max, windowOf(spec));
    limiters.set(name, {
      spec,
      primary: new Ratelimit({
        redis: asLibraryRedis(backend.redis),
        limiter: algorithm,
        prefix,
        timeout: config.backendTimeoutMs,
        analytics: false,
        enableTelemetry: false,
        ephemeralCache:
          backend.kind === "redis" ? new BoundedMap(options.ephemeralCacheSize ?? 10_000) : false,
      }),
      fallback: new Ratelimit({
        redis: asLibraryRedis(fallbackRedis),
        limiter: algorithm,
        prefix,
        timeout: 0,
        analytics: false,
        enableTelemetry: false,
        ephemeralCache: false,
      }),
    });
  }
  const primarySource: RateLimitSource = backend.kind;
  let redisRetryAt = 0;
  const lastUnavailableEvent = new Map<LimitName, number>();
  // (limit, identifier) -> window end already reported, so a flood records one event
  // per window per process rather than one per request.
  const reportedRefusals = new BoundedMap<string, number>(10_000);

  function toResult(
    name: LimitName,
    response: { success: boolean; limit: number; remaining: number; reset: number },
    source: RateLimitSource,
  ): RateLimitResult {
    const waitMs = response.reset - clock.now().getTime();
    return {
      name,
      allowed: response.success,
      limit: response.limit,
      remaining: response.remaining,
      reset: response.reset,
      retryAfterSeconds: response.success ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
      source,
    };
  }

  function reportRefusal(check: RateLimitCheck, identifier: string, result: RateLimitResult): void {
    const marker = `${check.name}\n${identifier}`;
    if (reportedRefusals.get(marker) === result.reset) return;
    reportedRefusals.set(marker, result.reset);
    events.record(check.meta, {
      kind: "rate_limit.exceeded",
      severity: "WARN",
      subjectType: check.eventSubject?.type ?? null,
      subjectId: check.eventSubject?.id ?? null,
      details: { limit: check.name, max: result.limit, source: result.source },
    });
  }

  async function degraded(
    check: RateLimitCheck,
    limiter: NamedLimiter,
    identifier: string,
    cause: "timeout" | "error" | "backoff",
  ): Promise<RateLimitResult> {
    const now = clock.now().getTime();
    const policy = limiter.spec.onBackendFailure;
    if (now - (lastUnavailableEvent.get(check.name) ?? -Infinity) >= config.backendRetryAfterMs) {
      lastUnavailableEvent.set(check.name, now);
      events.record(check.meta, {
        kind: "rate_limit.backend_unavailable",
        severity: policy === "closed" ? "CRITICAL" : "WARN",
        details: { limit: check.name, policy, cause },
      });
    }
    if (policy === "closed") {
      return {
        name: check.name,
        allowed: false,
        limit: limiter.spec.max,
        remaining: 0,
        reset: now + config.unavailableRetryAfterSeconds * 1000,
        retryAfterSeconds: config.unavailableRetryAfterSeconds,
        source: "unavailable",
      };
    }
    return toResult(check.name, await limiter.fallback.limit(identifier), "local-fallback");
  }

  return {
    async check(check) {
      const limiter = limiters.get(check.name);
      if (limiter === undefined) throw new Error(`unknown limit ${check.name}`);
      const identifier = limitIdentifier(check.subject);
      let result: RateLimitResult;
      if (clock.now().getTime() < redisRetryAt) {
        result = await degraded(check, limiter, identifier, "backoff");
      } else {
        try {
          const response = await limiter.primary.limit(identifier);
          if (response.reason === "timeout") {
            redisRetryAt = clock.now().getTime() + config.backendRetryAfterMs;
            result = await degraded(check, limiter, identifier, "timeout");
          } else {
            result = toResult(check.name, response, primarySource);
          }
        } catch (error) {
          if (error instanceof UnknownScriptError) throw error;
          redisRetryAt = clock.now().getTime() + config.backendRetryAfterMs;
          result = await degraded(check, limiter, identifier, "error");
        }
      }
      if (!result.allowed && result.source !== "unavailable")
        reportRefusal(check, identifier, result);
      return result;
    },
  };
}
