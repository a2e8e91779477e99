import type { ApiDependencies } from "../context/api-dependencies";
import type { FrontDoor, RequestMeta, Transport } from "../context/request-facts";
import { RateLimitedError } from "./rate-limited-error";

export type AuthenticationDenial = {
  reason: string;
  /** The procedure, "(connect)" for a socket's connectionParams, "(idle)" for none. */
  path: string | null;
  /**
   * Whether the denial counts as a failed authentication of the address (backoff, then
   * a ban): a token this server never issued for this door, a socket that never
   * authenticates. An expired token or a revoked session does not: honest clients
   * present those, then refresh.
   */
  countsAsFailure: boolean;
};

/**
 * An unauthenticated call or socket. A client can cause these at will, so the security
 * event goes through the per-address aggregator (at most two rows per address a
 * minute), and a denial that counts as a failure grows the address's backoff like a
 * wrong password. Answers the RateLimitedError to throw instead of the 401 when the
 * address is already backing off or banned (that refusal counts toward the ban too).
 */
export async function denyAuthentication(
  deps: ApiDependencies,
  request: RequestMeta & { frontDoor: FrontDoor; transport: Transport },
  denial: AuthenticationDenial,
): Promise<RateLimitedError | null> {
  const meta: RequestMeta = {
    ip: request.ip,
    userAgent: request.userAgent,
    requestId: request.requestId,
  };
  if (denial.countsAsFailure) {
    deps.metrics.authFailures.inc({
      kind: denial.reason === "authentication_timeout" ? "socket_authentication_timeout" : "token",
    });
    const admission = await deps.abuse.authFailures.reserve({ identifier: null, meta });
    if (!admission.allowed)
      return new RateLimitedError(admission.reason, admission.retryAfterSeconds);
    await admission.fail();
  }
  deps.abuse.denials.record(meta, {
    kind: "authentication_denied",
    severity: "INFO",
    details: {
      reason: denial.reason,
      frontDoor: request.frontDoor,
      transport: request.transport,
      path: denial.path,
    },
  });
  return null;
}
