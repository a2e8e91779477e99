import { activeKey, parseKeyring } from "@conclave/auth/jwt-keyring";
import { createProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import type { Clock } from "@conclave/api/clock/clock";
import { systemClock } from "@conclave/api/clock/clock";
import { createApiConfig } from "@conclave/api/context/api-config";
import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import {
  createProcessEventBuses,
  type ProcessEventBuses,
} from "@conclave/api/events/create-process-event-buses";
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
  /**
   * What carries revocations and event notices to the other processes: Redis (several
   * instances) or PostgreSQL LISTEN/NOTIFY (embedded mode: this and the console).
   */
  readonly bus: ProcessEventBuses["kind"];
  /**
   * Swaps in a rotated keyring (JWT_KEYRING re-read on SIGHUP): new tokens are signed
   * with its active key and the JWKS publishes it. Throws, keeping the old ring, when
   * the new one does not parse.
   */
  reloadKeyring(json: string): Promise<string>;
  /** Writes pending security events, then disconnects Prisma and Redis. */
  close(): Promise<void>;
}

/** Builds the API's dependencies once per process from the validated configuration. */
export async function createApiDependencies(
  config: WsServerConfig,
  options: ApiDependencyOptions,
): Promise<OwnedApiDependencies> {
  const keyring = await parseKeyring(config.secrets.JWT_KEYRING);
  const database = { url: config.database.url, caFile: config.database.caFile };
  const buses = await createProcessEventBuses({
    redisUrl: config.redis.url,
    database,
    logger: options.logger,
  });
  const prisma = createPrismaClient(database);
  const clock = options.clock ?? systemClock;
  const abuse = await createProcessAbuseProtection({
    redisUrl: config.redis.url,
    prisma,
    clock,
    logger: options.logger,
    overrides: config.abuse.overrides,
  });
  // Without Redis each process caches bans itself; bans and lifts made elsewhere (the
  // console, the CLI) arrive by NOTIFY.
  if (buses.kind === "postgres") await abuse.abuse.bans.followChanges(buses.pubsub, options.logger);
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
