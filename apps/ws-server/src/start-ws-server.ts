import { createGuardianHttpHandler } from "@conclave/api/adapters/handle-guardian-http";
import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import type { TlsCredentials } from "@conclave/config/read-tls-credentials";
import type { Logger } from "@conclave/logger/create-logger";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpRefusal } from "@conclave/api/abuse/rate-limit-http";
import { createHttpsServer } from "./http/create-https-server";
import { createRedirectServer } from "@conclave/http-server/create-redirect-server";
import { close, listen } from "@conclave/http-server/listen";
import { serverTimeouts, type ServerTimeouts } from "@conclave/http-server/server-timeouts";
import { TLS_SERVER_OPTIONS } from "@conclave/http-server/tls-options";
import type { TrustedProxies } from "@conclave/api/abuse/client-ip";
import { logSecurityRefusal } from "./http/log-security-refusal";
import { createRequestFacts } from "./http/request-facts";
import type { Mount, Route } from "./http/route";
import { createHealthzRoute } from "./http/routes/healthz";
import { createJwksRoute } from "./http/routes/jwks";
import { attachGuardianWss, type GuardianWss } from "./ws/attach-guardian-wss";

/** tRPC over HTTPS (join, login, refresh) and the WSS upgrade share this path. */
export const GUARDIAN_TRPC_PATH = "/trpc";
const DEFAULT_DRAIN_MS = 3_000;

export interface GuardianFrontDoorOptions {
  readonly deps: ApiDependencies;
  /** Browser origins allowed to open the WebSocket besides `publicOrigin`. */
  readonly allowedOrigins: readonly string[];
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES). */
  readonly trustedProxies: TrustedProxies;
  /** How long shutdown waits for clients to reconnect elsewhere before closing them. */
  readonly drainMs?: number;
  readonly maxPayload?: number;
  /** A socket that has not authenticated (sent its connectionParams) within this is closed. */
  readonly authenticateWithinMs?: number;
  /** Keep-alive ping and session re-check of every open socket; tests shorten it. */
  readonly heartbeatMs?: number;
}

export interface WsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly httpPort: number;
  /** Target of the HTTP redirect. */
  readonly publicOrigin: string;
  readonly tls: TlsCredentials;
  readonly logger: Logger;
  readonly checkDatabase: () => Promise<void>;
  /** The guardian API (JWKS, /trpc over HTTPS and WSS); absent only in bare HTTP-layer tests. */
  readonly guardian?: GuardianFrontDoorOptions;
  /** Slow-client limits of both listeners; tests shorten them. */
  readonly timeouts?: Partial<ServerTimeouts>;
}

export interface RunningWsServer {
  readonly httpsAddress: AddressInfo;
  readonly httpAddress: AddressInfo;
  /** Serves a renewed certificate to new connections without a restart. */
  reloadTls(tls: TlsCredentials): void;
  /** Open guardian WebSockets. */
  openSockets(): number;
  /**
   * Stops accepting connections, asks WebSocket clients to reconnect elsewhere, drains,
   * closes what is left and waits for in-flight requests. The caller closes the deps.
   */
  stop(): Promise<void>;
}

/** The path only: query strings may carry tokens. */
function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? "/", "https://host.invalid").pathname.slice(0, 200);
}

/** Starts the HTTPS front door and its HTTP redirect; port 0 picks free ports (tests). */
export async function startWsServer(options: WsServerOptions): Promise<RunningWsServer> {
  const routes: Route[] = [createHealthzRoute({ checkDatabase: options.checkDatabase })];
  const mounts: Mount[] = [];
  const guardian = options.guardian;
  const requestFacts =
    guardian === undefined ? undefined : createRequestFacts(guardian.trustedProxies);
  let admit: ((request: IncomingMessage) => Promise<HttpRefusal | null>) | undefined;
  if (guardian !== undefined && requestFacts !== undefined) {
    const { deps } = guardian;
    // Ban check only: the public procedures count their per-IP limits themselves,
    // whichever transport carries them.
    admit = async (request) => {
      const facts = requestFacts(request);
      const admission = await deps.abuse.admitHttp(facts.ip, facts);
      if (!admission.admitted && admission.status === 403) {
        logSecurityRefusal(options.logger, "banned", facts.ip, pathOf(request));
      }
      return admission.admitted ? null : admission;
    };
    routes.push(createJwksRoute({ keyring: () => deps.keyring, now: () => deps.clock.now() }));
    const handleTrpc = createGuardianHttpHandler({
      deps,
      prefix: GUARDIAN_TRPC_PATH,
      requestFacts,
    });
    mounts.push((request, response) => {
      // Everything on HTTPS /trpc is join, login, refresh or logout: a 401 there is a
      // failed credential.
      response.once("finish", () => {
        if (response.statusCode === 401) {
          const { ip } = requestFacts(request);
          logSecurityRefusal(options.logger, "authentication_failed", ip, pathOf(request));
        }
      });
      return handleTrpc(request, response);
    });
  }
  const timeouts = serverTimeouts(options.timeouts);
  const https = createHttpsServer({
    timeouts,
    tls: options.tls,
    logger: options.logger,
    routes,
    mounts,
    ...(admit === undefined ? {} : { admit }),
  });
  let guardianWss: GuardianWss | undefined;
  if (guardian !== undefined && requestFacts !== undefined) {
    guardianWss = attachGuardianWss({
      server: https,
      deps: guardian.deps,
      path: GUARDIAN_TRPC_PATH,
      allowedOrigins: new Set([new URL(options.publicOrigin).origin, ...guardian.allowedOrigins]),
      requestFacts,
      logger: options.logger,
      ...(guardian.maxPayload === undefined ? {} : { maxPayload: guardian.maxPayload }),
      ...(guardian.authenticateWithinMs === undefined
        ? {}
        : { authenticateWithinMs: guardian.authenticateWithinMs }),
      ...(guardian.heartbeatMs === undefined ? {} : { heartbeatMs: guardian.heartbeatMs }),
    });
  }
  const redirect = createRedirectServer({ httpsOrigin: options.publicOrigin, timeouts });
  const httpsAddress = await listen(https, options.port, options.host);
  let httpAddress: AddressInfo;
  try {
    httpAddress = await listen(redirect, options.httpPort, options.host);
  } catch (error) {
    await close(https);
    throw error;
  }
  return {
    httpsAddress,
    httpAddress,
    reloadTls(tls) {
      https.setSecureContext({ ...TLS_SERVER_OPTIONS, cert: tls.cert, key: tls.key });
    },
    openSockets: () => guardianWss?.openSockets() ?? 0,
    async stop() {
      const closing = Promise.all([close(https), close(redirect)]);
      await guardianWss?.close(guardian?.drainMs ?? DEFAULT_DRAIN_MS);
      await closing;
    },
  };
}
