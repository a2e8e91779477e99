import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import { bearerCredentials } from "../context/request-facts";
import { guardianHttpRoot } from "../routers/guardian/guardian-http-root";

export type GuardianHttpOptions = {
  deps: ApiDependencies;
  /** Path prefix the router answers under; default "/trpc". */
  prefix?: string;
  /** Client ip and request id as the ws-server established them. */
  requestFacts: (req: IncomingMessage) => { ip: string | null; requestId: string };
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
      createContext: () =>
        createApiContext(options.deps, {
          ...facts,
          userAgent: req.headers["user-agent"] ?? null,
          frontDoor: "guardian",
          transport: "https",
          credentials: bearerCredentials(req.headers.authorization),
        }),
    });
    return true;
  };
}
