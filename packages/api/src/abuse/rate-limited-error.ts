import { DomainError } from "../errors/domain-error";
import type { RateLimitResult } from "./rate-limit-result";

/**
 * A refused call. toTrpcError maps it to TOO_MANY_REQUESTS; the error formatter must
 * copy `retryAfterSeconds` into the error's data (see README in this folder).
 */
export class RateLimitedError extends DomainError {
  readonly kind = "TOO_MANY_REQUESTS" as const;
  readonly retryAfterSeconds: number;
  /** The limit that refused, for RateLimit headers; null for backoff and bans. */
  readonly limit: RateLimitResult | null;

  constructor(
    reason: "rate_limited" | "backoff" | "banned" | "unavailable",
    retryAfterSeconds: number,
    limit: RateLimitResult | null = null,
  ) {
    super(
      reason,
      reason === "banned"
        ? "This address is temporarily banned"
        : reason === "unavailable"
          ? "Rate limiting is unavailable; try again shortly"
          : "Too many requests; try again later",
    );
    this.retryAfterSeconds = retryAfterSeconds;
    this.limit = limit;
  }

  static from(result: RateLimitResult): RateLimitedError {
    return new RateLimitedError(
      result.source === "unavailable" ? "unavailable" : "rate_limited",
      result.retryAfterSeconds,
      result,
    );
  }
}

/** The data field a tRPC client sees on a refused call. */
export type RateLimitedErrorData = { reason: string; retryAfterSeconds: number };
