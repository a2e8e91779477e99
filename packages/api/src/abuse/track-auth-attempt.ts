import { AuthenticationError } from "../errors/authentication-error";
import type { AuthAttempt, AuthFailureTracker } from "./auth-failure-tracker";
import { RateLimitedError } from "./rate-limited-error";

/**
 * Wraps one credential check: refuses up front while the address is banned or the
 * identifier/address is backing off, counts a wrong credential (by default an
 * AuthenticationError) as a failure, which may ban the address, and clears the
 * identifier's failures on success.
 * Usage in a procedure: `trackAuthAttempt(tracker, { identifier, meta: ctx.request },
 * () => loginWithChallenge(ctx.deps, ctx.request, input))`.
 */
export async function trackAuthAttempt<T>(
  tracker: AuthFailureTracker,
  attempt: AuthAttempt,
  run: () => Promise<T>,
  isWrongCredential: (error: unknown) => boolean = (error) => error instanceof AuthenticationError,
): Promise<T> {
  const gate = await tracker.check(attempt);
  if (!gate.allowed) throw new RateLimitedError(gate.reason, gate.retryAfterSeconds);
  let value: T;
  try {
    value = await run();
  } catch (error) {
    if (isWrongCredential(error)) await tracker.recordFailure(attempt);
    throw error;
  }
  await tracker.recordSuccess(attempt);
  return value;
}
