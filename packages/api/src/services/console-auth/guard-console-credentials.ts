import { enforceRateLimit } from "../../abuse/call-limit-for-principal";
import { ipLimitSubject } from "../../abuse/ip-address";
import { RateLimitedError } from "../../abuse/rate-limited-error";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConsoleAuthError } from "./console-auth-error";
import { normaliseEmail } from "./verify-console-password";

/**
 * A console credential check (sign-in, or the one-time password of a first sign-in)
 * under the per-IP `login` limit, then backoff per e-mail and address and IP bans.
 * Every attempt counts toward the limit. Only `invalid_credentials` counts as a
 * failure, and it is one error for an unknown e-mail, a wrong password, a wrong code
 * and a disabled account, so all of them count alike. `setup_required` and
 * `password_policy` come after the password was right: neither failure nor success.
 * Throws RateLimitedError when refused.
 */
export async function guardConsoleCredentials<T>(
  deps: Pick<ApiDependencies, "abuse">,
  meta: RequestMeta,
  email: string,
  run: () => Promise<T>,
): Promise<T> {
  const { limiter, authFailures } = deps.abuse;
  await enforceRateLimit(limiter, {
    name: "login",
    subject: [meta.ip === null ? "unknown" : ipLimitSubject(meta.ip)],
    meta,
  });
  const attempt = { identifier: normaliseEmail(email), meta };
  const gate = await authFailures.check(attempt);
  if (!gate.allowed) throw new RateLimitedError(gate.reason, gate.retryAfterSeconds);
  let value: T;
  try {
    value = await run();
  } catch (error) {
    if (error instanceof ConsoleAuthError && error.authReason === "invalid_credentials")
      await authFailures.recordFailure(attempt);
    throw error;
  }
  await authFailures.recordSuccess(attempt);
  return value;
}
