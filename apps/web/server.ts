// The console's entry point: Next.js (production build) served over HTTPS, plus the
// plain-HTTP redirect. Run with `tsx server.ts` after `next build`.
import next from "next";
import { ConfigError } from "@conclave/config/config-error";
import { readTlsCredentials } from "@conclave/config/read-tls-credentials";
import { createLogger } from "@conclave/logger/create-logger";
import { loadWebConfig, type WebConfig } from "./src/config";
import { TLS_SERVER_OPTIONS, createHttpsServer } from "./src/server/create-https-server";
import { createRedirectServer } from "@conclave/http-server/create-redirect-server";
import { close, listen } from "@conclave/http-server/listen";
import { PEER_ADDRESS_HEADER } from "./src/server/request-meta";

const SHUTDOWN_GRACE_MS = 10_000;

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
  const config = loadConfigOrExit();
  // next-auth builds its callback URLs from this, never from the Host header.
  process.env.NEXTAUTH_URL = config.http.publicOrigin;
  const logger = createLogger({ name: "web", level: config.runtime.logLevel });
  const app = next({
    dev: false,
    dir: import.meta.dirname,
    hostname: config.http.host,
    port: config.http.port,
  });
  await app.prepare();
  const handle = app.getRequestHandler();

  const https = createHttpsServer(readTlsCredentials(config.tls), logger, (request, response) => {
    // The API records the TCP peer; a client-sent value under this name is replaced.
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
    return handle(request, response);
  });
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

  // Renewed certificates (e.g. from certbot's deploy hook) are picked up on SIGHUP.
  process.on("SIGHUP", () => {
    try {
      https.setSecureContext({ ...TLS_SERVER_OPTIONS, ...readTlsCredentials(config.tls) });
      logger.info("TLS certificate reloaded");
    } catch (error) {
      logger.error({ err: error }, "TLS certificate reload failed; keeping the previous one");
    }
  });

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
