import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { WebSocket, WebSocketServer } from "ws";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import type { ApiContext } from "../context/create-api-context";
import type { RequestMeta } from "../context/request-facts";
import { connectionLimitCloseCode } from "../abuse/create-connection-limiter";
import { denyAuthentication } from "../abuse/deny-authentication";
import { AuthenticationError } from "../errors/authentication-error";
import { DomainError } from "../errors/domain-error";
import { guardianRoot } from "../routers/guardian/guardian-root";
import { authenticate } from "../services/auth/authenticate";
import { isForgedAccessToken } from "../services/tokens/verify-access";
import { holdConnectionLease } from "./hold-connection-lease";

export type GuardianWsOptions = {
  deps: ApiDependencies;
  wss: WebSocketServer;
  requestFacts: (req: IncomingMessage) => RequestMeta;
  /** Ping interval; default 30 s. Pong wait default 5 s. */
  pingMs?: number;
  pongWaitMs?: number;
  /** A socket that has not authenticated within this is closed (4408); default 10 s. */
  authenticateWithinMs?: number;
};

/** Close codes a client can act on (4000-4999 are application codes). */
export const wsCloseCodes = {
  tokenExpired: 4401,
  sessionRevoked: 4403,
  tooManyConnections: connectionLimitCloseCode,
  authenticationTimeout: 4408,
} as const;

const DEFAULT_AUTHENTICATE_WITHIN_MS = 10_000;

// Guardian WSS. Clients connect with `?connectionParams=1` and send
// `{ accessToken }` as connection params. The connection is authenticated once at
// connect (no valid token: error and close), and every call is re-authenticated by
// the procedure middleware. The socket closes when its access token expires (unless
// renewed with auth.renewSocketToken, which moves the deadline) and within a bus
// hop of its session being revoked. A guardian holds at most `perGuardian` sockets
// across every instance; the next one is closed with 4429.
export function createGuardianWsHandler(options: GuardianWsOptions): {
  broadcastReconnectNotification: () => void;
  dispose: () => void;
} {
  const socketsBySession = new Map<string, Set<WebSocket>>();
  const unsubscribe = options.deps.sessionEvents.subscribe(({ sessionId }) => {
    for (const socket of socketsBySession.get(sessionId) ?? []) {
      socket.close(wsCloseCodes.sessionRevoked, "session revoked");
    }
  });

  const track = (socket: WebSocket, sessionId: string, ctx: ApiContext, expiresAt: Date) => {
    let sockets = socketsBySession.get(sessionId);
    if (!sockets) socketsBySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    let timer: NodeJS.Timeout | undefined;
    const armExpiry = (at: Date) => {
      clearTimeout(timer);
      const delay = Math.max(0, at.getTime() - options.deps.clock.now().getTime());
      timer = setTimeout(() => {
        socket.close(wsCloseCodes.tokenExpired, "access token expired");
      }, delay);
    };
    armExpiry(expiresAt);
    ctx.connection.onRenewed = armExpiry;
    socket.once("close", () => {
      clearTimeout(timer);
      sockets.delete(socket);
      if (sockets.size === 0) socketsBySession.delete(sessionId);
    });
  };

  // A socket that answers pings but never sends its connectionParams would otherwise
  // hold a connection slot forever; it is closed and counted as a failed
  // authentication of its address, so repeating it ends in a ban.
  const authenticationDeadlines = new WeakMap<WebSocket, NodeJS.Timeout>();
  const onConnection = (socket: WebSocket, req: IncomingMessage): void => {
    const deadline = setTimeout(() => {
      const request = {
        ...options.requestFacts(req),
        frontDoor: "guardian",
        transport: "wss",
      } as const;
      // Counted before the close, so the client sees the close once it is on record.
      void denyAuthentication(options.deps, request, {
        reason: "authentication_timeout",
        path: "(idle)",
        countsAsFailure: true,
      })
        .catch((error: unknown) => {
          options.deps.logger.error({ err: error }, "idle socket not counted as a failure");
        })
        .finally(() => {
          socket.close(wsCloseCodes.authenticationTimeout, "authentication timeout");
        });
    }, options.authenticateWithinMs ?? DEFAULT_AUTHENTICATE_WITHIN_MS);
    authenticationDeadlines.set(socket, deadline);
    socket.once("close", () => {
      clearTimeout(deadline);
    });
  };
  options.wss.on("connection", onConnection);

  const handler = applyWSSHandler({
    wss: options.wss,
    router: guardianRoot,
    keepAlive: {
      enabled: true,
      pingMs: options.pingMs ?? 30_000,
      pongWaitMs: options.pongWaitMs ?? 5_000,
    },
    createContext: async ({ req, res, info }) => {
      const token = info.connectionParams?.["accessToken"];
      const ctx = createApiContext(options.deps, {
        ...options.requestFacts(req),
        frontDoor: "guardian",
        transport: "wss",
        credentials:
          typeof token === "string" && token !== "" ? { kind: "bearer", token } : { kind: "none" },
      });
      try {
        const principal = await authenticate(ctx.deps, ctx.request, ctx.connection.credentials);
        if (principal === null) throw new AuthenticationError("missing_credentials");
        // Only a guardian's access token opens a socket (API keys are HTTPS-only).
        if (principal.kind !== "session" || principal.accessTokenExpiresAt === null)
          throw new AuthenticationError("not_an_access_token");
        const { abuse } = options.deps;
        const slot = await abuse.connections.acquireForGuardian(principal.subjectId, ctx.request);
        if (!slot.admitted) {
          // The close frame goes out before tRPC's own error and close, so the client
          // sees 4429 and its reason rather than a generic close.
          res.close(slot.closeCode, slot.reason);
          throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: slot.reason });
        }
        holdConnectionLease(res, slot.lease, abuse.config.connections.leaseMs / 3);
        track(res, principal.sessionId, ctx, principal.accessTokenExpiresAt);
        clearTimeout(authenticationDeadlines.get(res));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error instanceof AuthenticationError)
          await denyAuthentication(ctx.deps, ctx.request, {
            reason: error.reason,
            path: "(connect)",
            countsAsFailure: isForgedAccessToken(error),
          });
        throw new TRPCError({ code: "UNAUTHORIZED", message: "Not authenticated" });
      }
      return ctx;
    },
  });

  return {
    broadcastReconnectNotification: handler.broadcastReconnectNotification,
    dispose: () => {
      options.wss.off("connection", onConnection);
      unsubscribe();
    },
  };
}
