import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import { AuthenticationError } from "../errors/authentication-error";
import { toTrpcError } from "../errors/to-trpc-error";
import { consoleRoot } from "../routers/console-root";
import { recordSecurityEvent } from "../services/security-events/record-security-event";
import { credentialsOf, type ConsoleCredential } from "./console-credential";

export type ConsoleRequestFacts = {
  ip: string | null;
  requestId: string;
  /** The credential apps/web decided this request authenticates with (decideConsoleCredential). */
  credential: ConsoleCredential;
};

export type ConsoleFetchHandlerOptions = {
  deps: ApiDependencies;
  /** Where the router is mounted, e.g. "/api/trpc". */
  endpoint: string;
  /** Reads the client ip, request id and the one credential of a request. */
  resolveRequest: (req: Request) => Promise<ConsoleRequestFacts>;
};

// For apps/web's route handler. The console is served over HTTPS only, so the
// transport is fixed. The handler never reads the Authorization header or the cookie
// itself: the route's decision is the only one, so the rules the route applied and
// the principal the procedures see belong to the same credential.
export function createConsoleFetchHandler(
  options: ConsoleFetchHandlerOptions,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const facts = await options.resolveRequest(req);
    const { credential } = facts;
    return fetchRequestHandler({
      endpoint: options.endpoint,
      req,
      router: consoleRoot,
      allowMethodOverride: false,
      createContext: async ({ info }) => {
        const request = {
          ip: facts.ip,
          userAgent: req.headers.get("user-agent"),
          requestId: facts.requestId,
          frontDoor: "console" as const,
          transport: "https" as const,
        };
        if (credential.kind === "conflicting") {
          const refusal = new AuthenticationError(
            "conflicting_credentials",
            "Send either the session cookie or an Authorization header, not both",
          );
          // A session cookie with an Authorization header next to it: script on a
          // console page, or a tool replaying a browser's cookies. Either way, neither
          // credential is honoured, including for public procedures.
          await recordSecurityEvent(options.deps.prisma, options.deps.clock.now(), request, {
            kind: "authentication_denied",
            severity: "WARN",
            details: {
              reason: "conflicting_credentials",
              frontDoor: request.frontDoor,
              transport: request.transport,
              // Only paths that name a procedure: anything else is raw client text.
              path: info.calls
                .filter((call) => call.procedure !== null)
                .map((call) => call.path)
                .join(","),
            },
          });
          throw toTrpcError(refusal) ?? refusal;
        }
        return createApiContext(options.deps, {
          ...request,
          credentials: credentialsOf(credential),
        });
      },
    });
  };
}
