import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { rateLimitedErrorHeaders } from "../abuse/rate-limit-http";
import { RateLimitedError } from "../abuse/rate-limited-error";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import { bearerCredentials, type RequestMeta } from "../context/request-facts";
import { guardianHttpRoot } from "../routers/guardian/guardian-http-root";

export type GuardianHttpOptions = {
  deps: ApiDependencies;
  /** Path prefix the router answers under; default "/trpc". */
  prefix?: string;
  /** Client ip, user agent and request id as the ws-server established them. */
  requestFacts: (req: IncomingMessage) => RequestMeta;
  /** Default 64 KiB. */
  maxBodySize?: number;
};

// tRPC over HTTPS for the guardian auth procedures (join, issueChallenge, login,
// refresh, logout): POST <prefix>/auth.join with a JSON body, the standard tRPC
// HTTP shape, so the typed client uses httpLink for these and wsLink for the rest.
// Returns false when the path is not under the prefix, so the host can 404 it.
export function createGuardianHttpHandler(
  options: GuardianHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const prefix = `${options.prefix ?? "/trpc"}/`;
  return async (req, res) => {
    const pathname = new URL(req.url ?? "/", "https://guardian.invalid").pathname;
    if (!pathname.startsWith(prefix)) return false;
    const facts = options.requestFacts(req);
    await nodeHTTPRequestHandler({
      req,
      res,
      path: pathname.slice(prefix.length),
      router: guardianHttpRoot,
      maxBodySize: options.maxBodySize ?? 64 * 1024,
      allowMethodOverride: false,
      // The SDK sends one call per request; a batch may carry at most each auth call once.
      maxBatchSize: 4,
      // A refused call tells the client when to come back, as a 429 should.
      responseMeta: ({ errors }) => {
        const refused = errors.find((error) => error.cause instanceof RateLimitedError)?.cause;
        if (!(refused instanceof RateLimitedError)) return {};
        return { headers: rateLimitedErrorHeaders(refused, options.deps.clock.now().getTime()) };
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
