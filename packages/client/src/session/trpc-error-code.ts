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
 * The server asked the client to come back later: too many calls (TOO_MANY_REQUESTS)
 * or too busy (SERVICE_UNAVAILABLE). How long to wait: data.retryAfterSeconds when
 * given, else a second, capped at a minute. Undefined for any other outcome.
 */
export function retryLaterMs(error: unknown): number | undefined {
  const code = trpcErrorCode(error);
  if (
    !(error instanceof TRPCClientError) ||
    (code !== "TOO_MANY_REQUESTS" && code !== "SERVICE_UNAVAILABLE")
  )
    return undefined;
  const seconds = (error.data as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  const waitMs = typeof seconds === "number" && seconds > 0 ? seconds * 1000 : 1000;
  return Math.min(waitMs, MAX_RATE_LIMIT_WAIT_MS);
}
