import { AuthenticationError } from "../errors/authentication-error";
import type { AuthAttempt, AuthFailureTracker } from "./auth-failure-tracker";
import { RateLimitedError } from "./rate-limited-error";

/**
 * Wraps one credential check: refuses up front while the address is banned or the
 * identifier/address is backing off, counts a wrong credential (by default an
 * AuthenticationError) as a failure, which may ban the address, and clears the
 * identifier's failures on success. The attempt is reserved before `run` starts, so
 * guesses fired in parallel when a backoff ends are not all evaluated: the first one
 * counts, and the others see its backoff.
 * Usage in a procedure: `trackAuthAttempt(tracker, { identifier, meta: ctx.request },
 * () => loginWithChallenge(ctx.deps, ctx.request, input))`.
 */
export async function trackAuthAttempt<T>(
  tracker: AuthFailureTracker,
  attempt: AuthAttempt,
  run: () => Promise<T>,
  isWrongCredential: (error: unknown) => boolean = (error) => error instanceof AuthenticationError,
): Promise<T> {
  const admission = await tracker.reserve(attempt);
  if (!admission.allowed) throw new RateLimitedError(admission.reason, admission.retryAfterSeconds);
  let value: T;
  try {
    value = await run();
  } catch (error) {
    if (isWrongCredential(error)) await admission.fail();
    else await admission.release();
    throw error;
  }
  await admission.succeed();
  return value;
}
