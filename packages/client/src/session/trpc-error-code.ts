import { TRPCClientError } from "@trpc/client";

/** The tRPC error code the server answered with (UNAUTHORIZED, CONFLICT, ...), if any. */
export function trpcErrorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The server said the presented credential is not (or no longer) valid: 401. */
export function isUnauthorized(error: unknown): boolean {
  return trpcErrorCode(error) === "UNAUTHORIZED";
}

/**
 * The call failed in transit (socket closed, server gone) rather than being answered:
 * worth retrying once the client has reconnected.
 */
export function isConnectionFailure(error: unknown): boolean {
  return error instanceof TRPCClientError && trpcErrorCode(error) === undefined;
}

/** Longest wait honoured from one refusal; the loop asks again after it. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * The server refused the call as too many (TOO_MANY_REQUESTS): how long it asked the
 * client to wait (data.retryAfterSeconds), capped at a minute. Undefined for any other
 * outcome.
 */
export function rateLimitedForMs(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError) || trpcErrorCode(error) !== "TOO_MANY_REQUESTS")
    return undefined;
  const seconds = (error.data as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  const waitMs = typeof seconds === "number" && seconds > 0 ? seconds * 1000 : 1000;
  return Math.min(waitMs, MAX_RATE_LIMIT_WAIT_MS);
}
