import type { IncomingMessage } from "node:http";
import { REQUEST_ID_HEADER, requestIdFrom } from "@conclave/http-server/request-id";

/**
 * The client address is the TCP peer: behind a proxy that is the proxy, until a trusted
 * forwarded-for setting exists. The request id follows the same rule as every response.
 */
export function requestFacts(request: IncomingMessage): { ip: string | null; requestId: string } {
  return {
    ip: request.socket.remoteAddress ?? null,
    requestId: requestIdFrom(request.headers[REQUEST_ID_HEADER]),
  };
}
