import type { IncomingMessage } from "node:http";
import type { Server } from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";
import { upgradeRefusal } from "@conclave/api/abuse/rate-limit-http";
import { createGuardianWsHandler } from "@conclave/api/adapters/create-guardian-ws-handler";
import { holdConnectionLease } from "@conclave/api/adapters/hold-connection-lease";
import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import type { Logger } from "@conclave/logger/create-logger";
import type { RequestFactsOf } from "../http/request-facts";
import { isAllowedWebSocketOrigin } from "./origin-allowlist";
import { logSecurityRefusal } from "../http/log-security-refusal";

/** Largest accepted WebSocket message; a bigger frame closes the socket (messageTooBig). */
export const WS_MAX_PAYLOAD_BYTES = 256 * 1024;
/** How long a client gets to answer our close frame before its TCP connection is cut. */
const CLOSE_HANDSHAKE_MS = 1_000;

export interface GuardianWssOptions {
  readonly server: Server;
  readonly deps: ApiDependencies;
  /** The upgrade path, e.g. "/trpc". */
  readonly path: string;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly requestFacts: RequestFactsOf;
  readonly logger: Logger;
  readonly maxPayload?: number;
  /** A socket that has not authenticated within this is closed (default 10 s). */
  readonly authenticateWithinMs?: number;
  /** Keep-alive ping and session re-check of every open socket (default 30 s). */
  readonly heartbeatMs?: number;
}

export interface GuardianWss {
  /** Connected sockets, for tests and shutdown. */
  openSockets(): number;
  /**
   * Shutdown: tells clients to reconnect elsewhere, waits up to `drainMs` for them to go,
   * then closes the rest and detaches from the bus.
   */
  close(drainMs: number): Promise<void>;
}

function refuse(socket: Duplex, status: 403 | 404 | 503, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Resolves when every client has gone, or after `ms`, whichever comes first. */
function whenEmpty(wss: WebSocketServer, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      for (const client of wss.clients) client.off("close", check);
      resolve();
    }
    function check(): void {
      if (wss.clients.size === 0) finish();
    }
    for (const client of wss.clients) client.on("close", check);
    check();
  });
}

/**
 * Serves the guardian router over WSS on the HTTPS server's upgrade path. The Origin
 * check happens before the handshake completes, so a refused page never gets a socket.
 */
export function attachGuardianWss(options: GuardianWssOptions): GuardianWss {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? WS_MAX_PAYLOAD_BYTES,
    // Compression would let a small frame inflate past maxPayload checks' intent and
    // costs memory per socket; guardian messages are small.
    perMessageDeflate: false,
  });
  const { deps, requestFacts } = options;
  const handler = createGuardianWsHandler({
    deps,
    wss,
    requestFacts,
    ...(options.authenticateWithinMs === undefined
      ? {}
      : { authenticateWithinMs: options.authenticateWithinMs }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  const renewEveryMs = deps.abuse.config.connections.leaseMs / 3;

  // A banned address is refused here, before the handshake, and every socket holds one
  // of its address's slots until it closes.
  const admit = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const facts = requestFacts(request);
    const admission = await deps.abuse.admitUpgrade(facts.ip, facts);
    if (!admission.admitted) {
      if (admission.status === 403) {
        logSecurityRefusal(options.logger, "banned", facts.ip, options.path);
      }
      socket.end(upgradeRefusal(admission));
      return;
    }
    // However the handshake ends (refused by ws, client gone), the slot goes back.
    socket.once("close", () => void admission.lease.release());
    if (socket.destroyed) {
      void admission.lease.release();
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => {
      holdConnectionLease(client, admission.lease, renewEveryMs);
      wss.emit("connection", client, request);
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => {
      socket.destroy();
    });
    const pathname = new URL(request.url ?? "/", "https://host.invalid").pathname;
    if (pathname !== options.path) {
      refuse(socket, 404, "Not Found");
      return;
    }
    const origin = request.headers.origin;
    if (!isAllowedWebSocketOrigin(origin, options.allowedOrigins)) {
      // The origin is public information from the page, not a secret; it tells the
      // operator which site tried.
      options.logger.warn({ origin: origin?.slice(0, 200) }, "websocket origin refused");
      refuse(socket, 403, "Forbidden");
      return;
    }
    admit(request, socket, head).catch((error: unknown) => {
      options.logger.error({ err: error }, "websocket admission failed");
      refuse(socket, 503, "Service Unavailable");
    });
  };
  options.server.on("upgrade", onUpgrade);

  return {
    openSockets: () => wss.clients.size,
    async close(drainMs) {
      options.server.off("upgrade", onUpgrade);
      handler.broadcastReconnectNotification();
      await whenEmpty(wss, drainMs);
      for (const client of wss.clients)
        client.close(guardianSocketCloseCodes.goingAway, "server shutting down");
      await whenEmpty(wss, CLOSE_HANDSHAKE_MS);
      // Whoever ignored the close frame is cut off, so the HTTPS server can finish closing.
      for (const client of wss.clients) client.terminate();
      handler.dispose();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
    },
  };
}
