// The signing server's entry point: validate the environment, migrate if asked, serve.
import { ConfigError } from "@conclave/config/config-error";
import { describeRootRefusal } from "@conclave/config/root-refusal";
import { readTlsCredentials } from "@conclave/config/read-tls-credentials";
import { runMigrations } from "@conclave/db/migrate/run-migrations";
import { createLogger } from "@conclave/logger/create-logger";
import { loadWsServerConfig, type WsServerConfig } from "./config";
import { createApiDependencies } from "./create-api-dependencies";
import { startDeadlineSweeper } from "./deadline-sweeper";
import { applicationRoleToGrant } from "./database-role";
import { startWsServer } from "./start-ws-server";

const SHUTDOWN_GRACE_MS = 10_000;

function loadConfigOrExit(): WsServerConfig {
  try {
    return loadWsServerConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const logger = createLogger({ name: "ws-server", destination: process.stderr });
    logger.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const rootRefusal = describeRootRefusal(process.env, process.getuid?.());
  if (rootRefusal !== undefined) {
    createLogger({ name: "ws-server", destination: process.stderr }).fatal(rootRefusal);
    process.exit(1);
  }
  const config = loadConfigOrExit();
  const logger = createLogger({ name: "ws-server", level: config.runtime.logLevel });

  const { url, migrationUrl, caFile } = config.database;
  if (migrationUrl !== undefined) {
    const { applied } = await runMigrations({
      url: migrationUrl,
      caFile,
      appRole: applicationRoleToGrant(url, migrationUrl),
      log: (message) => {
        logger.info(message);
      },
    });
    logger.info({ applied: applied.length }, "migrations up to date");
  }
  const api = await createApiDependencies(config, { logger });
  const { prisma } = api.deps;

  const server = await startWsServer({
    host: config.http.host,
    port: config.http.port,
    httpPort: config.http.httpPort,
    publicOrigin: config.http.publicOrigin,
    tls: readTlsCredentials(config.tls),
    logger,
    checkDatabase: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    guardian: {
      deps: api.deps,
      allowedOrigins: config.wsOrigins.allowedOrigins,
      trustedProxies: config.abuse.trustedProxies,
    },
  });
  const sweeper = startDeadlineSweeper(api.deps);
  const { address, port } = server.httpsAddress;
  const host = address.includes(":") ? `[${address}]` : address;
  logger.info(
    {
      url: `https://${host}:${port}`,
      publicOrigin: config.http.publicOrigin,
      redirectPort: server.httpAddress.port,
      revocationBus: api.bus,
    },
    "ws-server listening",
  );

  // SIGHUP picks up a renewed certificate (certbot's deploy hook) and a rotated JWT
  // keyring (`npm run conclave -- keys rotate`), each independently of the other.
  process.on("SIGHUP", () => {
    try {
      server.reloadTls(readTlsCredentials(config.tls));
      logger.info("TLS certificate reloaded");
    } catch (error) {
      logger.error({ err: error }, "TLS certificate reload failed; keeping the previous one");
    }
    void reloadKeyring().catch((error: unknown) => {
      logger.error({ err: error }, "JWT keyring reload failed; keeping the previous one");
    });
  });
  const reloadKeyring = async (): Promise<void> => {
    const kid = await api.reloadKeyring(loadWsServerConfig().secrets.JWT_KEYRING);
    logger.info({ kid }, "JWT keyring reloaded");
  };

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "ws-server stopping");
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => {
      logger.error("ws-server did not stop in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    void sweeper
      .stop()
      .then(() => server.stop())
      .then(() => api.close())
      .then(() => {
        logger.info("ws-server stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "ws-server failed to stop cleanly");
        process.exit(1);
      });
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  createLogger({ name: "ws-server", destination: process.stderr }).fatal(
    { err: error },
    "ws-server failed to start",
  );
  process.exit(1);
});
