import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@conclave/logger/create-logger";

export interface RequestContext {
  /** Echoed from a well-formed `x-request-id` header, otherwise generated. */
  readonly requestId: string;
  /** Carries `reqId` on every line. */
  readonly logger: Logger;
}

export interface Route {
  readonly method: "GET" | "POST";
  /** Exact pathname, e.g. `/healthz`. */
  readonly path: string;
  handle(
    request: IncomingMessage,
    response: ServerResponse,
    context: RequestContext,
  ): Promise<void>;
}

/** Serves a whole path prefix (e.g. tRPC under /trpc/); resolves false when not its path. */
export type Mount = (
  request: IncomingMessage,
  response: ServerResponse,
  context: RequestContext,
) => Promise<boolean>;
