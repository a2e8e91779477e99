import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { HttpRefusal } from "@conclave/api/abuse/rate-limit-http";
import type { TlsCredentials } from "@conclave/config/read-tls-credentials";
import { withRequestId, type Logger } from "@conclave/logger/create-logger";
import { REQUEST_ID_HEADER, requestIdFrom } from "@conclave/http-server/request-id";
import type { Mount, RequestContext, Route } from "./route";
import { sendJson } from "./send-json";
import {
  httpsTimeoutOptions,
  serverTimeouts,
  type ServerTimeouts,
} from "@conclave/http-server/server-timeouts";
import { TLS_SERVER_OPTIONS } from "@conclave/http-server/tls-options";

export interface HttpsServerOptions {
  readonly tls: TlsCredentials;
  readonly routes: readonly Route[];
  /** Prefix handlers tried in order after the exact routes; each returns false to pass. */
  readonly mounts?: readonly Mount[];
  /** Runs before any route: a refusal (a banned address) is written as is. */
  readonly admit?: (request: IncomingMessage) => Promise<HttpRefusal | null>;
  readonly logger: Logger;
  /** Slow-client limits; the defaults unless a test shortens them. */
  readonly timeouts?: ServerTimeouts;
}

// On every answer, errors and refusals included. Nothing here is meant to be framed,
// sniffed or cached: the tRPC answers carry access and refresh tokens.
const SECURITY_HEADERS = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  // The legacy XSS auditor is off in current browsers and, where present, could be abused
  // to blank or probe pages; "0" is the current guidance (OWASP), the CSP does the work.
  "x-xss-protection": "0",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
} as const;

function pathnameOf(request: IncomingMessage): string {
  return new URL(request.url ?? "/", "https://host.invalid").pathname;
}

async function dispatch(
  options: HttpsServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const refusal = await options.admit?.(request);
  if (refusal) {
    response.writeHead(refusal.status, refusal.headers).end(refusal.body);
    return;
  }
  const pathname = pathnameOf(request);
  const candidates = options.routes.filter((route) => route.path === pathname);
  if (candidates.length === 0) {
    for (const mount of options.mounts ?? []) {
      if (await mount(request, response, context)) return;
    }
    sendJson(response, 404, { error: "not_found" });
    return;
  }
  const route = candidates.find((candidate) => candidate.method === request.method);
  if (route === undefined) {
    response.setHeader("allow", candidates.map((candidate) => candidate.method).join(", "));
    sendJson(response, 405, { error: "method_not_allowed" });
    return;
  }
  await route.handle(request, response, context);
}

/**
 * The HTTPS front door (TLS 1.2+ with ECDHE and AEAD only): request ids, security
 * headers, routing, JSON errors, slow-client timeouts.
 */
export function createHttpsServer(options: HttpsServerOptions): Server {
  return createServer(
    {
      ...TLS_SERVER_OPTIONS,
      ...httpsTimeoutOptions(options.timeouts ?? serverTimeouts()),
      cert: options.tls.cert,
      key: options.tls.key,
    },
    (request, response) => {
      const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
      const logger = withRequestId(options.logger, requestId);
      const startedAt = performance.now();
      response.setHeader(REQUEST_ID_HEADER, requestId);
      // Handlers further in (the tRPC adapter) read the id from the request itself.
      request.headers[REQUEST_ID_HEADER] = requestId;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
      response.on("finish", () => {
        // The path only: query strings may carry tokens.
        logger.info(
          {
            method: request.method,
            path: pathnameOf(request),
            status: response.statusCode,
            durationMs: Math.round(performance.now() - startedAt),
          },
          "request",
        );
      });
      dispatch(options, request, response, { requestId, logger }).catch((error: unknown) => {
        logger.error({ err: error }, "request failed");
        if (response.headersSent) response.destroy();
        else sendJson(response, 500, { error: "internal_error", requestId });
      });
    },
  );
}
