import type { ApiDependencies } from "../context/api-dependencies";
import type { RequestMeta } from "../context/request-facts";
import { trackAuthAttempt } from "./track-auth-attempt";

/**
 * A credential check under backoff and IP bans (trackAuthAttempt). `identifier` is what
 * the caller claims to be, never a secret.
 */
export function guardCredentialCheck<T>(
  deps: ApiDependencies,
  identifier: string | null,
  meta: RequestMeta,
  run: () => Promise<T>,
): Promise<T> {
  return trackAuthAttempt(deps.abuse.authFailures, { identifier, meta }, run);
}
