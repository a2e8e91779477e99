import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import { bearerCredentials } from "../context/request-facts";
import type { Credentials } from "../context/request-facts";
import { consoleRoot } from "../routers/console/console-root";

export type ConsoleRequestFacts = {
  ip: string | null;
  requestId: string;
  /** The next-auth session apps/web verified for this request, if any. */
  consoleSession: { sessionId: string; userId: string } | null;
};

export type ConsoleFetchHandlerOptions = {
  deps: ApiDependencies;
  /** Where the router is mounted, e.g. "/api/trpc". */
  endpoint: string;
  /** Reads the client ip, request id and next-auth session (getToken) of a request. */
  resolveRequest: (req: Request) => Promise<ConsoleRequestFacts>;
};

// For apps/web's route handler: `export const GET = handler; export const POST = handler;`.
// A next-auth session wins over an Authorization header; without one, a bearer value
// is an admin API key (or a console-audience access token). The console is served
// over HTTPS only, so the transport is fixed.
export function createConsoleFetchHandler(
  options: ConsoleFetchHandlerOptions,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const facts = await options.resolveRequest(req);
    const credentials: Credentials = facts.consoleSession
      ? { kind: "consoleSession", ...facts.consoleSession }
      : bearerCredentials(req.headers.get("authorization"));
    return fetchRequestHandler({
      endpoint: options.endpoint,
      req,
      router: consoleRoot,
      allowMethodOverride: false,
      createContext: () =>
        createApiContext(options.deps, {
          ip: facts.ip,
          userAgent: req.headers.get("user-agent"),
          requestId: facts.requestId,
          frontDoor: "console",
          transport: "https",
          credentials,
        }),
    });
  };
}
