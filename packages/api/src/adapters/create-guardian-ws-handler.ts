import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { TRPCRequestInfo } from "@trpc/server/http";
import type { WebSocket, WebSocketServer } from "ws";
import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";
import type { ApiDependencies } from "../context/api-dependencies";
import { createApiContext } from "../context/create-api-context";
import type { ApiContext } from "../context/create-api-context";
import type { RequestMeta } from "../context/request-facts";
import { denyAuthentication } from "../abuse/deny-authentication";
import { AuthenticationError } from "../errors/authentication-error";
import { closeCodeLabel } from "../metrics/close-code-label";
import { DomainError } from "../errors/domain-error";
import { guardianRoot } from "../routers/guardian-root";
import { authenticate } from "../services/auth/authenticate";
import { liveSessionWhere } from "../services/sessions/active-session-window";
import { requireLiveSession } from "../services/sessions/require-live-session";
import { isForgedAccessToken } from "../services/auth/verify-access";
import { holdConnectionLease } from "./hold-connection-lease";

export type GuardianWsOptions = {
  deps: ApiDependencies;
  wss: WebSocketServer;
  requestFacts: (req: IncomingMessage) => RequestMeta;
  /**
   * Heartbeat: the keep-alive ping after this much quiet, and the re-check of every
   * authenticated socket's session at this interval; default 30 s. Pong wait default 5 s.
   */
  heartbeatMs?: number;
  pongWaitMs?: number;
  /** A socket that has not authenticated within this is closed (4408); default 10 s. */
  authenticateWithinMs?: number;
};

const DEFAULT_AUTHENTICATE_WITHIN_MS = 10_000;
const DEFAULT_HEARTBEAT_MS = 30_000;

// Guardian WSS. Clients connect with `?connectionParams=1` and send
// `{ accessToken }` as connection params. The connection is authenticated once at
// connect (no valid token: error and close), and every call is re-authenticated by
// the procedure middleware. The socket closes when its access token expires (unless
// renewed with auth.renewSocketToken, which moves the deadline) and within a bus
// hop of its session being revoked. A bus message can be lost (a LISTEN connection
// down at that moment), so every heartbeat also re-reads the sessions of all open
// sockets and closes those whose session is revoked, expired or idle. A guardian holds at most `perGuardian` sockets
// across every instance; the next one is closed with 4429.
export function createGuardianWsHandler(options: GuardianWsOptions): {
  broadcastReconnectNotification: () => void;
  dispose: () => void;
} {
  const { deps } = options;
  const socketsBySession = new Map<string, Set<WebSocket>>();
  // Whose request an idle-timeout revocation found by the heartbeat is recorded under.
  const connectMetaOf = new WeakMap<WebSocket, RequestMeta>();
  const closeSessionSockets = (sessionId: string): void => {
    for (const socket of socketsBySession.get(sessionId) ?? []) {
      socket.close(guardianSocketCloseCodes.sessionRevoked, "session revoked");
    }
  };
  const unsubscribe = deps.sessionEvents.subscribe(({ sessionId }) => {
    closeSessionSockets(sessionId);
  });

  // One query per heartbeat for every open socket's session; only a session that is
  // no longer live gets the full check, which records an idle timeout as a revocation.
  const closeSocketsOfDeadSessions = async (): Promise<void> => {
    const sessionIds = [...socketsBySession.keys()];
    if (sessionIds.length === 0) return;
    const live = await deps.prisma.session.findMany({
      where: { id: { in: sessionIds }, ...liveSessionWhere(deps.config, deps.clock.now()) },
      select: { id: true },
    });
    const liveIds = new Set(live.map((session) => session.id));
    for (const sessionId of sessionIds) {
      if (liveIds.has(sessionId)) continue;
      const [socket] = socketsBySession.get(sessionId) ?? [];
      const meta = socket === undefined ? undefined : connectMetaOf.get(socket);
      if (meta === undefined) continue;
      try {
        await requireLiveSession(deps, meta, sessionId, { touch: false });
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        // Seen when the bus lost a revocation, or at an expiry or idle timeout that no
        // call or event delivery ran into first.
        deps.logger.info({ reason: error.reason }, "heartbeat closed a dead session's sockets");
        closeSessionSockets(sessionId);
      }
    }
  };
  let checking = false;
  const heartbeat = setInterval(() => {
    // A check slower than the interval is not stacked on by the next one.
    if (checking) return;
    checking = true;
    closeSocketsOfDeadSessions()
      .catch((error: unknown) => {
        // Every call and every event delivery still checks the session itself.
        deps.logger.warn({ err: error }, "socket session re-check failed");
      })
      .finally(() => {
        checking = false;
      });
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  const track = (socket: WebSocket, sessionId: string, ctx: ApiContext, expiresAt: Date) => {
    let sockets = socketsBySession.get(sessionId);
    if (!sockets) socketsBySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    connectMetaOf.set(socket, {
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
      requestId: ctx.request.requestId,
    });
    let timer: NodeJS.Timeout | undefined;
    const armExpiry = (at: Date) => {
      clearTimeout(timer);
      const delay = Math.max(0, at.getTime() - deps.clock.now().getTime());
      timer = setTimeout(() => {
        socket.close(guardianSocketCloseCodes.tokenExpired, "access token expired");
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
          socket.close(guardianSocketCloseCodes.authenticationTimeout, "authentication timeout");
        });
    }, options.authenticateWithinMs ?? DEFAULT_AUTHENTICATE_WITHIN_MS);
    authenticationDeadlines.set(socket, deadline);
    deps.metrics.websocketsOpened.inc();
    deps.metrics.websocketsOpen.inc();
    socket.once("close", (code: number) => {
      clearTimeout(deadline);
      deps.metrics.websocketsOpen.dec();
      deps.metrics.websocketsClosed.inc({ code: closeCodeLabel(code) });
    });
  };
  options.wss.on("connection", onConnection);

  const handler = applyWSSHandler({
    wss: options.wss,
    router: guardianRoot,
    keepAlive: {
      enabled: true,
      pingMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      pongWaitMs: options.pongWaitMs ?? 5_000,
    },
    // Typed here: 11.22.1 types `res` as `ws.WebSocket` through a default import that the
    // ESM typings of @types/ws do not provide, which leaves it unresolved.
    createContext: async ({
      req,
      res,
      info,
    }: {
      req: IncomingMessage;
      res: WebSocket;
      info: TRPCRequestInfo;
    }) => {
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
          deps.metrics.rateLimitRefusals.inc({ limit: "guardianSockets", reason: "rate_limited" });
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
      clearInterval(heartbeat);
      unsubscribe();
    },
  };
}
