import { parseAbuseRefusal } from "../../auth/sign-in-error-code";

const reasons: Record<string, string> = {
  invalid_credentials: "Email, password or authentication code is wrong.",
  password_policy: "The new password must be 12 to 1024 characters long.",
  unavailable: "Sign-in is unavailable right now. Try again shortly.",
};

function wait(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? "1 second" : `${String(seconds)} seconds`;
  return `${String(Math.ceil(seconds / 60))} minutes`;
}

/** The message for a reason code from the server; anything unknown reads as wrong credentials. */
export function describeSignInError(code: string | null | undefined): string {
  const refusal = parseAbuseRefusal(code ?? "");
  if (refusal) {
    const later = wait(refusal.retryAfterSeconds);
    switch (refusal.reason) {
      case "rate_limited":
      case "backoff":
        return `Too many attempts. Try again in ${later}.`;
      case "banned":
        return `Too many failed attempts from this address. Try again in ${later}.`;
      case "unavailable":
        return `Sign-in is unavailable right now. Try again in ${later}.`;
    }
  }
  const known = code && Object.hasOwn(reasons, code) ? reasons[code] : undefined;
  return known ?? reasons.invalid_credentials ?? "";
}
