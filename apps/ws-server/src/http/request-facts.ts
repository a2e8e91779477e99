import type { IncomingMessage } from "node:http";
import { resolveClientIp, type TrustedProxies } from "@conclave/api/abuse/client-ip";
import type { RequestMeta } from "@conclave/api/context/request-facts";
import { REQUEST_ID_HEADER, requestIdFrom } from "@conclave/http-server/request-id";

export type RequestFactsOf = (request: IncomingMessage) => RequestMeta;

/**
 * Who sent a request, as sessions, audit rows, limits and bans all mean it: the TCP
 * peer, or the client named in X-Forwarded-For when the peer is a trusted proxy. The
 * request id follows the same rule as every response.
 */
export function createRequestFacts(trustedProxies: TrustedProxies): RequestFactsOf {
  return (request) => ({
    ip: resolveClientIp({
      socketAddress: request.socket.remoteAddress,
      forwardedFor: request.headers["x-forwarded-for"],
      trustedProxies,
    }),
    userAgent: request.headers["user-agent"]?.slice(0, 512) ?? null,
    requestId: requestIdFrom(request.headers[REQUEST_ID_HEADER]),
  });
}
