import { enforceRateLimit } from "../../abuse/call-limit-for-principal";
import { clientIpSubject } from "../../abuse/ip-address";
import { trackAuthAttempt } from "../../abuse/track-auth-attempt";
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
  await enforceRateLimit(deps.abuse.limiter, {
    name: "login",
    subject: [clientIpSubject(meta.ip)],
    meta,
  });
  return trackAuthAttempt(
    deps.abuse.authFailures,
    { identifier: normaliseEmail(email), meta },
    run,
    (error) => error instanceof ConsoleAuthError && error.authReason === "invalid_credentials",
  );
}
