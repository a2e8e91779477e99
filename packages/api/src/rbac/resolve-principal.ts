import { API_KEY_PREFIX_TAG, parseApiKey } from "@conclave/auth/random-secret";
import { denyAuthentication } from "../abuse/deny-authentication";
import { guardCredentialCheck } from "../abuse/guard-credential-check";
import type { ApiContext } from "../context/create-api-context";
import { AuthenticationError } from "../errors/authentication-error";
import type { Principal } from "./principal";
import { authenticate } from "../services/auth/authenticate";
import { isForgedAccessToken } from "../services/auth/verify-access";

export async function resolvePrincipal(ctx: ApiContext, path: string): Promise<Principal> {
  try {
    const credentials = ctx.connection.credentials;
    const check = () => authenticate(ctx.deps, ctx.request, credentials);
    // API keys are long-lived secrets that can be guessed at: failures back off per key
    // prefix (never the secret part) and per address, before the key is looked up.
    // Access tokens are verified offline, so a valid one is never held up by its
    // address's backoff; a forged one counts as a failure afterwards (below).
    const principal =
      credentials.kind === "bearer" && credentials.token.startsWith(API_KEY_PREFIX_TAG)
        ? await guardCredentialCheck(
            ctx.deps,
            `apiKey:${parseApiKey(credentials.token)?.prefix ?? "malformed"}`,
            ctx.request,
            check,
          )
        : await check();
    if (principal) return principal;
    throw new AuthenticationError("missing_credentials");
  } catch (error) {
    if (error instanceof AuthenticationError) {
      const refusal = await denyAuthentication(ctx.deps, ctx.request, {
        reason: error.reason,
        path,
        countsAsFailure: isForgedAccessToken(error),
      });
      if (refusal) throw refusal;
    }
    throw error;
  }
}
