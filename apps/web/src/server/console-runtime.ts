import { parseKeyring } from "@conclave/auth/jwt-keyring";
import { createProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import { systemClock } from "@conclave/api/clock/clock";
import { createApiConfig } from "@conclave/api/context/api-config";
import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import { createProcessEventBuses } from "@conclave/api/events/create-process-event-buses";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { createLogger, type Logger } from "@conclave/logger/create-logger";
import { loadWebConfig, type WebConfig } from "../config";

export type ConsoleRuntime = {
  config: WebConfig;
  deps: ApiDependencies;
  logger: Logger;
  /** Writes pending security events, then disconnects Redis and PostgreSQL. */
  close(): Promise<void>;
};

/** Must match apps/ws-server's TOKEN_AUDIENCES. */
const TOKEN_AUDIENCES = { console: "conclave-console", guardian: "conclave-guardian" };

async function createRuntime(): Promise<ConsoleRuntime> {
  const config = loadWebConfig();
  // next-auth derives its callback URLs from this; never from the Host header.
  process.env.NEXTAUTH_URL = config.http.publicOrigin;
  const logger = createLogger({ name: "web", level: config.runtime.logLevel });
  const database = { url: config.database.url, caFile: config.database.caFile };
  // Revocations made here must reach the ws-server processes holding the sockets:
  // over Redis, or over PostgreSQL LISTEN/NOTIFY in embedded mode.
  const events = await createProcessEventBuses({ redisUrl: config.redis.url, database, logger });
  const prisma = createPrismaClient(database);
  // One per process: server.ts builds this runtime before it listens and refuses
  // banned clients with the same instance the routes count failures with.
  const abuse = await createProcessAbuseProtection({
    redisUrl: config.redis.url,
    prisma,
    clock: systemClock,
    logger,
    overrides: config.abuse.overrides,
  });
  // Without Redis each process caches bans itself; bans and lifts made elsewhere (the
  // ws-server, the CLI) arrive by NOTIFY.
  if (events.kind === "postgres") await abuse.abuse.bans.followChanges(events.pubsub, logger);
  const deps: ApiDependencies = {
    prisma,
    logger,
    clock: systemClock,
    keyring: await parseKeyring(config.secrets.JWT_KEYRING),
    peppers: {
      inviteCode: config.secrets.INVITE_CODE_PEPPER,
      apiKey: config.secrets.API_KEY_PEPPER,
      refreshToken: config.secrets.REFRESH_TOKEN_PEPPER,
    },
    config: createApiConfig({
      issuer: config.http.publicOrigin,
      audiences: TOKEN_AUDIENCES,
      guardianOrigin: config.http.publicOrigin,
    }),
    sessionEvents: events.sessionEvents,
    guardianEvents: events.guardianEvents,
    abuse: abuse.abuse,
  };
  // Once per process; more than one such line means a second runtime (tests count them).
  logger.info({ redis: config.redis.url !== undefined, bus: events.kind }, "console runtime ready");
  return {
    config,
    deps,
    logger,
    async close() {
      // Security events are written through Prisma, so they go first.
      await abuse.close().catch((error: unknown) => {
        logger.error({ err: error }, "abuse protection did not close cleanly");
      });
      await Promise.allSettled([prisma.$disconnect(), events.close()]);
    },
  };
}

const holder = globalThis as typeof globalThis & {
  conclaveConsoleRuntime?: Promise<ConsoleRuntime>;
};

// Built by server.ts before it listens (never at `next build`) and shared through
// globalThis with the Next bundle, whose route handlers and pages carry their own
// copies of this module: the first call builds, every later one gets the same.
export function consoleRuntime(): Promise<ConsoleRuntime> {
  holder.conclaveConsoleRuntime ??= createRuntime().catch((error: unknown) => {
    holder.conclaveConsoleRuntime = undefined;
    throw error;
  });
  return holder.conclaveConsoleRuntime;
}
