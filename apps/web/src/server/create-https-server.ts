import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { TlsCredentials } from "@conclave/config/read-tls-credentials";
import { withRequestId, type Logger } from "@conclave/logger/create-logger";
import { REQUEST_ID_HEADER, requestIdFrom } from "@conclave/http-server/request-id";
import { applyServerTimeouts } from "@conclave/http-server/server-timeouts";

/** Also passed to setSecureContext, which otherwise would fall back to Node's defaults. */
export const TLS_SERVER_OPTIONS = { minVersion: "TLSv1.2" } as const;

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

// Set here as well as in next.config.ts, whose headers() do not reach Next's own redirects.
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The console's HTTPS listener (TLS 1.2+) in front of Next's request handler. It stamps the
 * request id on the request (for route handlers), the response and the access log line.
 */
export function createHttpsServer(
  tls: TlsCredentials,
  logger: Logger,
  handle: RequestHandler,
): Server {
  const server = createServer(
    { ...TLS_SERVER_OPTIONS, cert: tls.cert, key: tls.key },
    (request, response) => {
      const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      request.headers[REQUEST_ID_HEADER] = requestId;
      response.setHeader(REQUEST_ID_HEADER, requestId);
      response.setHeader("strict-transport-security", HSTS);
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
  applyServerTimeouts(server);
  return server;
}
