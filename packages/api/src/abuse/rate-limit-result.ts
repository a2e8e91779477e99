import type { LimitName } from "./abuse-config";

/**
 * Where a decision came from: the shared Redis, the embedded in-memory backend, this
 * process's fallback counter (Redis unavailable, `local` policy), or a refusal because
 * Redis was unavailable (`closed` policy).
 */
export type RateLimitSource = "redis" | "memory" | "local-fallback" | "unavailable";

export type RateLimitResult = {
  name: LimitName;
  allowed: boolean;
  /** Requests allowed per window. */
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the current window ends. */
  reset: number;
  /** 0 when allowed; otherwise whole seconds to wait (at least 1). */
  retryAfterSeconds: number;
  source: RateLimitSource;
};
