import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { rateLimitHeaders, rateLimitedErrorHeaders } from "../abuse/rate-limit-http";
import { RateLimitedError } from "../abuse/rate-limited-error";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import { bearerCredentials, type RequestMeta } from "../context/request-facts";
import { guardianHttpRoot } from "../routers/guardian-http-root";

export type GuardianHttpOptions = {
  deps: ApiDependencies;
  /** Path prefix the router answers under; default "/trpc". */
  prefix?: string;
  /** Client ip, user agent and request id as the ws-server established them. */
  requestFacts: (req: IncomingMessage) => RequestMeta;
  /** Default 64 KiB. */
  maxBodySize?: number;
};

const unsupportedMediaType = JSON.stringify({
  error: {
    message: "Send the request body as application/json",
    code: TRPC_ERROR_CODES_BY_KEY.UNSUPPORTED_MEDIA_TYPE,
    data: { code: "UNSUPPORTED_MEDIA_TYPE", httpStatus: 415 },
  },
});

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

// tRPC over HTTPS for the guardian auth procedures (issueJoinChallenge, join,
// issueChallenge, login, refresh, logout): POST <prefix>/auth.join with a JSON body, the standard tRPC
// HTTP shape, so the typed client uses httpLink for these and wsLink for the rest.
// Returns false when the path is not under the prefix, so the host can 404 it.
export function createGuardianHttpHandler(
  options: GuardianHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const prefix = `${options.prefix ?? "/trpc"}/`;
  return async (req, res) => {
    const pathname = new URL(req.url ?? "/", "https://guardian.invalid").pathname;
    if (!pathname.startsWith(prefix)) return false;
    // tRPC would also read form data and octet streams; nothing here takes them, and a
    // body in any other type is refused before it is read.
    if (req.method === "POST" && !isJson(req.headers["content-type"])) {
      res.writeHead(415, { "Content-Type": "application/json" }).end(unsupportedMediaType);
      return true;
    }
    const facts = options.requestFacts(req);
    await nodeHTTPRequestHandler({
      req,
      res,
      path: pathname.slice(prefix.length),
      router: guardianHttpRoot,
      maxBodySize: options.maxBodySize ?? 64 * 1024,
      allowMethodOverride: false,
      // A batch is one request (one ban check, one body) fanning out into several calls.
      // Each call still counts against its own per-IP limit, so batching buys no budget;
      // the cap bounds how much work one request can start at once. Nothing legitimate
      // needs more: the SDK sends one call per request, and a challenge and the answer
      // that signs it can never share a batch. So it is a small fixed bound, not one
      // slot per auth procedure.
      maxBatchSize: 4,
      // A refused call tells the client when to come back, as a 429 should; an admitted
      // public call says how much of its address's budget is left.
      responseMeta: ({ ctx, errors }) => {
        const now = options.deps.clock.now().getTime();
        const refused = errors.find((error) => error.cause instanceof RateLimitedError)?.cause;
        if (refused instanceof RateLimitedError)
          return { headers: rateLimitedErrorHeaders(refused, now) };
        const decision = ctx?.connection.rateLimit;
        return decision ? { headers: rateLimitHeaders(decision, now) } : {};
      },
      createContext: () =>
        createApiContext(options.deps, {
          ...facts,
          frontDoor: "guardian",
          transport: "https",
          credentials: bearerCredentials(req.headers.authorization),
        }),
    });
    return true;
  };
}
