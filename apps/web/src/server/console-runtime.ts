import { parseKeyring } from "@conclave/auth/jwt-keyring";
import { systemClock } from "@conclave/api/clock/clock";
import { createApiConfig } from "@conclave/api/context/api-config";
import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import {
  createInProcessGuardianEventBus,
  type GuardianEventBus,
} from "@conclave/api/events/guardian-event-bus";
import { createRedisGuardianEventBus } from "@conclave/api/events/redis-guardian-event-bus";
import { createRedisSessionRevocationBus } from "@conclave/api/events/redis-session-revocation-bus";
import {
  createInProcessSessionRevocationBus,
  type SessionRevocationBus,
} from "@conclave/api/events/session-revocation-bus";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { createLogger, type Logger } from "@conclave/logger/create-logger";
import { loadWebConfig, type WebConfig } from "../config";

export type ConsoleRuntime = {
  config: WebConfig;
  deps: ApiDependencies;
  logger: Logger;
};

/** Must match apps/ws-server's TOKEN_AUDIENCES. */
const TOKEN_AUDIENCES = { console: "conclave-console", guardian: "conclave-guardian" };

async function buses(
  redisUrl: string | undefined,
  logger: Logger,
): Promise<{ sessionEvents: SessionRevocationBus; guardianEvents: GuardianEventBus }> {
  if (redisUrl === undefined) {
    return {
      sessionEvents: createInProcessSessionRevocationBus(),
      guardianEvents: createInProcessGuardianEventBus(),
    };
  }
  // Revocations made here must reach the ws-server instances holding the sockets.
  return {
    sessionEvents: await createRedisSessionRevocationBus({ url: redisUrl, logger }),
    guardianEvents: await createRedisGuardianEventBus({ url: redisUrl, logger }),
  };
}

async function createRuntime(): Promise<ConsoleRuntime> {
  const config = loadWebConfig();
  // next-auth derives its callback URLs from this; never from the Host header.
  process.env.NEXTAUTH_URL = config.http.publicOrigin;
  const logger = createLogger({ name: "web", level: config.runtime.logLevel });
  const { sessionEvents, guardianEvents } = await buses(config.redis.url, logger);
  const deps: ApiDependencies = {
    prisma: createPrismaClient({ url: config.database.url, caFile: config.database.caFile }),
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
    sessionEvents,
    guardianEvents,
  };
  return { config, deps, logger };
}

const holder = globalThis as typeof globalThis & {
  conclaveConsoleRuntime?: Promise<ConsoleRuntime>;
};

// Built on first use (never at `next build`) and shared by every route in the process.
export function consoleRuntime(): Promise<ConsoleRuntime> {
  holder.conclaveConsoleRuntime ??= createRuntime().catch((error: unknown) => {
    holder.conclaveConsoleRuntime = undefined;
    throw error;
  });
  return holder.conclaveConsoleRuntime;
}
