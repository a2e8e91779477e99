import type { RateLimitResult } from "../abuse/rate-limit-result";
import type { ApiDependencies } from "./api-dependencies";
import type { Credentials, FrontDoor, RequestFacts, RequestMeta, Transport } from "./request-facts";

// Credentials live in a mutable holder: over WSS one context serves every call on a
// socket, and a client may renew its access token on that socket (the ws adapter
// listens through onRenewed to push back the socket's expiry).
export type ConnectionState = {
  credentials: Credentials;
  onRenewed?: (accessTokenExpiresAt: Date) => void;
  /** The last per-IP limit decision, for the RateLimit headers of an HTTP response. */
  rateLimit?: RateLimitResult;
};

export type ApiContext = {
  deps: ApiDependencies;
  request: RequestMeta & { frontDoor: FrontDoor; transport: Transport };
  connection: ConnectionState;
};

export function createApiContext(deps: ApiDependencies, facts: RequestFacts): ApiContext {
  const { credentials, ...request } = facts;
  return { deps, request, connection: { credentials } };
}
