import { activeKey, parseKeyring } from "@conclave/auth/jwt-keyring";
import { createProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import type { Clock } from "@conclave/api/clock/clock";
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
import type { Logger } from "@conclave/logger/create-logger";
import type { WsServerConfig } from "./config";

/** One `aud` per front door; apps/web must use the same values. */
export const TOKEN_AUDIENCES = { console: "conclave-console", guardian: "conclave-guardian" };

export interface ApiDependencyOptions {
  readonly logger: Logger;
  /** Tests move time; the process uses the system clock. */
  readonly clock?: Clock;
}

export interface OwnedApiDependencies {
  readonly deps: ApiDependencies;
  /** Whether revocations travel over Redis (several instances) or stay in this process. */
  readonly bus: "redis" | "in-process";
  /**
   * Swaps in a rotated keyring (JWT_KEYRING re-read on SIGHUP): new tokens are signed
   * with its active key and the JWKS publishes it. Throws, keeping the old ring, when
   * the new one does not parse.
   */
  reloadKeyring(json: string): Promise<string>;
  /** Writes pending security events, then disconnects Prisma and Redis. */
  close(): Promise<void>;
}

interface Buses {
  readonly sessionEvents: SessionRevocationBus;
  readonly guardianEvents: GuardianEventBus;
  readonly kind: OwnedApiDependencies["bus"];
  close(): Promise<void>;
}

// With REDIS_URL, session revocations and guardian event notices reach every
// instance; without it (embedded mode) one process serves every socket.
async function createBuses(redisUrl: string | undefined, logger: Logger): Promise<Buses> {
  if (redisUrl === undefined) {
    const guardianEvents = createInProcessGuardianEventBus();
    return {
      sessionEvents: createInProcessSessionRevocationBus(),
      guardianEvents,
      kind: "in-process",
      close: () => guardianEvents.close(),
    };
  }
  const sessionEvents = await createRedisSessionRevocationBus({ url: redisUrl, logger });
  let guardianEvents: GuardianEventBus;
  try {
    guardianEvents = await createRedisGuardianEventBus({ url: redisUrl, logger });
  } catch (error) {
    await sessionEvents.close();
    throw error;
  }
  return {
    sessionEvents,
    guardianEvents,
    kind: "redis",
    async close() {
      await Promise.allSettled([sessionEvents.close(), guardianEvents.close()]);
    },
  };
}

/** Builds the API's dependencies once per process from the validated configuration. */
export async function createApiDependencies(
  config: WsServerConfig,
  options: ApiDependencyOptions,
): Promise<OwnedApiDependencies> {
  const keyring = await parseKeyring(config.secrets.JWT_KEYRING);
  const buses = await createBuses(config.redis.url, options.logger);
  const prisma = createPrismaClient({ url: config.database.url, caFile: config.database.caFile });
  const clock = options.clock ?? systemClock;
  const abuse = await createProcessAbuseProtection({
    redisUrl: config.redis.url,
    prisma,
    clock,
    logger: options.logger,
    overrides: config.abuse.overrides,
  });
  const deps: ApiDependencies = {
    prisma,
    logger: options.logger,
    clock,
    keyring,
    peppers: {
      inviteCode: config.secrets.INVITE_CODE_PEPPER,
      apiKey: config.secrets.API_KEY_PEPPER,
      refreshToken: config.secrets.REFRESH_TOKEN_PEPPER,
    },
    config: createApiConfig({
      // The JWKS that verifies these tokens is served from this origin.
      issuer: config.http.publicOrigin,
      audiences: TOKEN_AUDIENCES,
      guardianOrigin: config.http.publicOrigin,
    }),
    sessionEvents: buses.sessionEvents,
    guardianEvents: buses.guardianEvents,
    abuse: abuse.abuse,
  };
  return {
    deps,
    bus: buses.kind,
    async reloadKeyring(json) {
      deps.keyring = await parseKeyring(json);
      return activeKey(deps.keyring).kid;
    },
    async close() {
      // Security events are written through Prisma, so they go first.
      await abuse.close().catch((error: unknown) => {
        options.logger.error({ err: error }, "abuse protection did not close cleanly");
      });
      await Promise.allSettled([prisma.$disconnect(), buses.close()]);
    },
  };
}
