// The console's entry point: Next.js (production build) served over HTTPS, plus the
// plain-HTTP redirect. `npm run build` compiles it into the standalone tree
// (node .next/standalone/apps/web/server.mjs); `tsx server.ts` runs it from source.
import type { IncomingMessage } from "node:http";
import next from "next";
import { resolveClientIp } from "@conclave/api/abuse/client-ip";
import { ConfigError } from "@conclave/config/config-error";
import { describeRootRefusal } from "@conclave/config/root-refusal";
import { readTlsCredentials } from "@conclave/config/read-tls-credentials";
import { createLogger } from "@conclave/logger/create-logger";
import { loadWebConfig, type WebConfig } from "./src/config";
import { builtNextConfig } from "./src/server/built-next-config";
import { TLS_SERVER_OPTIONS } from "@conclave/http-server/tls-options";
import { createHttpsServer } from "./src/server/create-https-server";
import { createRedirectServer } from "@conclave/http-server/create-redirect-server";
import { close, listen } from "@conclave/http-server/listen";
import { consoleRuntime } from "./src/server/console-runtime";
import { forwardConsoleToLogger } from "./src/server/forward-console-to-logger";
import { isWellFormedPath } from "./src/server/is-well-formed-path";
import { PEER_ADDRESS_HEADER, requestMetaFrom } from "./src/server/request-meta";

const SHUTDOWN_GRACE_MS = 10_000;

function headerOf(request: IncomingMessage): (name: string) => string | null {
  return (name) => {
    const value = request.headers[name];
    return typeof value === "string" ? value : null;
  };
}

function loadConfigOrExit(): WebConfig {
  try {
    return loadWebConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const logger = createLogger({ name: "web", destination: process.stderr });
    logger.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const rootRefusal = describeRootRefusal(process.env, process.getuid?.());
  if (rootRefusal !== undefined) {
    createLogger({ name: "web", destination: process.stderr }).fatal(rootRefusal);
    process.exit(1);
  }
  const config = loadConfigOrExit();
  // next-auth builds its callback URLs from this, never from the Host header.
  process.env.NEXTAUTH_URL = config.http.publicOrigin;
  const logger = createLogger({ name: "web", level: config.runtime.logLevel });
  forwardConsoleToLogger(logger);
  const conf = builtNextConfig();
  // Next's standalone runtime reads the built configuration from here, too.
  if (conf !== undefined) process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
  const app = next({
    dev: false,
    dir: import.meta.dirname,
    hostname: config.http.host,
    port: config.http.port,
    ...(conf === undefined ? {} : { conf }),
  });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Built here, before the first request: the bundled routes find this same instance
  // on globalThis, so the ban checked below is the one their failure counts make.
  const runtime = await consoleRuntime();
  const { abuse } = runtime.deps;

  const https = createHttpsServer(
    readTlsCredentials(config.tls),
    logger,
    async (request, response) => {
      // X-Forwarded-For counts only from a trusted proxy (TRUSTED_PROXIES). Sessions,
      // audit rows, limits and bans all use this address; a client-sent value under
      // this header name is replaced.
      const ip = resolveClientIp({
        socketAddress: request.socket.remoteAddress,
        forwardedFor: request.headers["x-forwarded-for"],
        trustedProxies: config.abuse.trustedProxies,
      });
      request.headers[PEER_ADDRESS_HEADER] = ip ?? "";
      // Banned addresses are refused before Next does any work.
      const admission = await abuse.admitHttp(ip, requestMetaFrom({ get: headerOf(request) }));
      // The firewall's feed (deploy/fail2ban), in the signing server's format: refused
      // banned clients and failed sign-ins, by address and path, never a credential.
      const path = new URL(request.url ?? "/", "https://host.invalid").pathname.slice(0, 200);
      const logRefusal = (refusal: "authentication_failed" | "banned") => {
        if (ip !== null) logger.warn({ refusal, clientIp: ip, path }, "security refusal");
      };
      if (!admission.admitted && admission.status === 403) logRefusal("banned");
      response.once("finish", () => {
        if (response.statusCode === 401 && path.startsWith("/api/auth/callback/")) {
          logRefusal("authentication_failed");
        }
      });
      if (!admission.admitted) {
        response.writeHead(admission.status, admission.headers).end(admission.body);
        return;
      }
      if (!isWellFormedPath(request.url)) {
        response
          .writeHead(400, {
            "content-type": "text/plain; charset=utf-8",
            "cache-control": "no-store",
          })
          .end("Bad request: the path is not valid percent-encoding\n");
        return;
      }
      await handle(request, response);
    },
  );
  const redirect = createRedirectServer({ httpsOrigin: config.http.publicOrigin });
  const address = await listen(https, config.http.port, config.http.host);
  const redirectAddress = await listen(redirect, config.http.httpPort, config.http.host);
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;
  logger.info(
    {
      url: `https://${host}:${address.port}`,
      publicOrigin: config.http.publicOrigin,
      redirectPort: redirectAddress.port,
    },
    "web listening",
  );

  // SIGHUP picks up a renewed certificate (certbot's deploy hook) and a rotated JWT
  // keyring (`npm run conclave -- keys rotate`), each independently of the other, as
  // the ws-server does: both sign tokens with the same keyring.
  process.on("SIGHUP", () => {
    try {
      https.setSecureContext({ ...TLS_SERVER_OPTIONS, ...readTlsCredentials(config.tls) });
      logger.info("TLS certificate reloaded");
    } catch (error) {
      logger.error({ err: error }, "TLS certificate reload failed; keeping the previous one");
    }
    void reloadKeyring().catch((error: unknown) => {
      logger.error({ err: error }, "JWT keyring reload failed; keeping the previous one");
    });
  });
  const reloadKeyring = async (): Promise<void> => {
    const kid = await runtime.reloadKeyring(loadWebConfig().secrets.JWT_KEYRING);
    logger.info({ kid }, "JWT keyring reloaded");
  };

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "web stopping");
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => {
      logger.error("web did not stop in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    void Promise.all([close(https), close(redirect)])
      .then(() => app.close())
      .then(() => runtime.close())
      .then(() => {
        logger.info("web stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "web failed to stop cleanly");
        process.exit(1);
      });
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  createLogger({ name: "web", destination: process.stderr }).fatal(
    { err: error },
    "web failed to start",
  );
  process.exit(1);
});
