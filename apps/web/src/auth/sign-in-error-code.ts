// The only text that travels from a sign-in refusal to the page (next-auth's ?error=
// or the setup route's JSON): a fixed reason, plus the server's whole-second delay
// for abuse refusals ("rate_limited:42"). Never anything the client typed.

export type AbuseRefusalReason = "rate_limited" | "backoff" | "banned" | "unavailable";

export type AbuseRefusal = { reason: AbuseRefusalReason; retryAfterSeconds: number };

const abuseReasons: readonly string[] = ["rate_limited", "backoff", "banned", "unavailable"];

// A day bounds what a page will ever print, whatever arrives in the URL.
const maxSeconds = 86_400;

/** From a RateLimitedError's reason and delay (an unknown reason reads as rate_limited). */
export function encodeAbuseRefusal(reason: string, retryAfterSeconds: number): string {
  const known = abuseReasons.includes(reason) ? reason : "rate_limited";
  const seconds = Math.min(maxSeconds, Math.max(1, Math.ceil(retryAfterSeconds)));
  return `${known}:${String(seconds)}`;
}

export function parseAbuseRefusal(code: string): AbuseRefusal | null {
  const match = /^([a-z_]{1,20}):(\d{1,6})$/.exec(code);
  const [, reason = "", digits = ""] = match ?? [];
  if (!abuseReasons.includes(reason)) return null;
  const seconds = Number(digits);
  if (seconds < 1 || seconds > maxSeconds) return null;
  return { reason: reason as AbuseRefusalReason, retryAfterSeconds: seconds };
}
