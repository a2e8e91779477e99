import type { RateLimitResult } from "./rate-limit-result";
import type { RateLimitedError } from "./rate-limited-error";

/**
 * RateLimit headers (IETF draft names) for a limit's decision; `Retry-After` only on
 * refusals. `RateLimit-Reset` is seconds until the window ends, not a timestamp. The
 * guardian door sends them on its public calls, admitted or refused.
 */
export function rateLimitHeaders(result: RateLimitResult, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(result.remaining),
    "RateLimit-Reset": String(Math.max(0, Math.ceil((result.reset - nowMs) / 1000))),
  };
  if (!result.allowed) headers["Retry-After"] = String(result.retryAfterSeconds);
  return headers;
}

/** Headers for a procedure refused with TOO_MANY_REQUESTS (tRPC over HTTP). */
export function rateLimitedErrorHeaders(
  error: RateLimitedError,
  nowMs: number,
): Record<string, string> {
  if (error.limit === null) return { "Retry-After": String(error.retryAfterSeconds) };
  return {
    ...rateLimitHeaders(error.limit, nowMs),
    "Retry-After": String(error.retryAfterSeconds),
  };
}

/** A framework-free refusal: write `status`, `headers` and the JSON `body` as is. */
export type HttpRefusal = {
  status: 403 | 429;
  headers: Record<string, string>;
  body: string;
};

/** Banned addresses get 403 (not 429: waiting a minute does not help). */
export function bannedRefusal(retryAfterSeconds: number): HttpRefusal {
  return {
    status: 403,
    headers: { "Retry-After": String(retryAfterSeconds), "Content-Type": "application/json" },
    body: JSON.stringify({
      error: { code: "FORBIDDEN", reason: "banned", message: "This address is temporarily banned" },
    }),
  };
}

const statusText: Record<HttpRefusal["status"], string> = {
  403: "Forbidden",
  429: "Too Many Requests",
};

/**
 * The same refusal as raw HTTP/1.1, for the `upgrade` event, where there is no
 * response object: `socket.end(upgradeRefusal(refusal))`.
 */
export function upgradeRefusal(refusal: HttpRefusal): string {
  const headers = {
    ...refusal.headers,
    "Content-Length": String(Buffer.byteLength(refusal.body)),
    Connection: "close",
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${refusal.status} ${statusText[refusal.status]}\r\n${lines.join("\r\n")}\r\n\r\n${refusal.body}`;
}
