import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { TlsCredentials } from "@conclave/config/read-tls-credentials";
import { withRequestId, type Logger } from "@conclave/logger/create-logger";
import { REQUEST_ID_HEADER, requestIdFrom } from "@conclave/http-server/request-id";
import {
  httpsTimeoutOptions,
  serverTimeouts,
  type ServerTimeouts,
} from "@conclave/http-server/server-timeouts";
import { TLS_SERVER_OPTIONS } from "@conclave/http-server/tls-options";

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

// Set here as well as in next.config.ts, whose headers() do not reach Next's own
// redirects nor the ban refusals written before Next runs.
const LISTENER_HEADERS = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  // The legacy XSS auditor could be abused to blank or probe pages; "0" turns it off
  // (current OWASP guidance), the nonce CSP does the work.
  "x-xss-protection": "0",
} as const;

/**
 * The console's HTTPS listener (TLS 1.2+ with ECDHE and AEAD only, slow-client timeouts)
 * in front of Next's request handler. It stamps the request id on the request (for route
 * handlers), the response and the access log line.
 */
export function createHttpsServer(
  tls: TlsCredentials,
  logger: Logger,
  handle: RequestHandler,
  timeouts: ServerTimeouts = serverTimeouts(),
): Server {
  return createServer(
    { ...TLS_SERVER_OPTIONS, ...httpsTimeoutOptions(timeouts), cert: tls.cert, key: tls.key },
    (request, response) => {
      const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      request.headers[REQUEST_ID_HEADER] = requestId;
      response.setHeader(REQUEST_ID_HEADER, requestId);
      for (const [name, value] of Object.entries(LISTENER_HEADERS)) response.setHeader(name, value);
      const requestLogger = withRequestId(logger, requestId);
      const startedAt = performance.now();
      response.on("finish", () => {
        // The path only: query strings may carry tokens.
        requestLogger.info(
          {
            method: request.method,
            path: new URL(request.url ?? "/", "https://host.invalid").pathname,
            status: response.statusCode,
            durationMs: Math.round(performance.now() - startedAt),
          },
          "request",
        );
      });
      handle(request, response).catch((error: unknown) => {
        requestLogger.error({ err: error }, "request failed");
        if (response.headersSent) response.destroy();
        else {
          response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
          response.end("Internal Server Error\n");
        }
      });
    },
  );
}
