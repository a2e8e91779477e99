import { collectDefaultMetrics, Registry } from "prom-client";
import { deriveKeyEncryptionKey } from "@conclave/auth/field-cipher";
import { activeKey, parseKeyring } from "@conclave/auth/jwt-keyring";
import type { MetricsConfig } from "@conclave/config/metrics-config";
import type { RetentionConfig } from "@conclave/config/retention-config";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import type { PgConnectionOptions } from "@conclave/db/pg-connection-config";
import type { Logger } from "@conclave/logger/create-logger";
import type { AbuseConfigOverrides } from "../abuse/abuse-config";
import {
  createProcessAbuseProtection,
  type ProcessAbuseProtection,
} from "../abuse/create-process-abuse-protection";
import { systemClock, type Clock } from "../clock/clock";
import { createFieldCipher } from "../encryption/field-cipher-service";
import { unavailableFieldCipher } from "../encryption/unavailable-field-cipher";
import {
  createProcessEventBuses,
  type ProcessEventBuses,
} from "../events/create-process-event-buses";
import { createApiMetrics } from "../metrics/create-api-metrics";
import { installDomainMetrics } from "../metrics/domain-metrics";
import { registerScrapeGauges } from "../metrics/register-scrape-gauges";
import { startMetricsListener, type MetricsListener } from "../metrics/start-metrics-listener";
import {
  verifyAuditChainPeriodically,
  type AuditChainVerifier,
} from "../metrics/verify-audit-chain-periodically";
import { purgePeriodically, type RetentionPurge } from "../services/deadlines/purge-periodically";
import { createApiConfig } from "./api-config";
import type { ApiDependencies, ApiPeppers } from "./api-dependencies";

// One `aud` per front door, so a token issued at one is refused at the other. The apps
// share one keyring and must agree on these values: they live here, once.
const TOKEN_AUDIENCES = { console: "conclave-console", guardian: "conclave-guardian" };

/**
 * What a front door hands the API, taken from its own validated environment (each app
 * parses its variables with packages/config; nothing here reads process.env).
 */
export type ProcessApiConfig = {
  /** `iss` of the tokens this process signs, and the origin named in identity challenges. */
  readonly publicOrigin: string;
  readonly database: PgConnectionOptions;
  /** The shared Redis; undefined in embedded mode (PostgreSQL carries the buses). */
  readonly redisUrl: string | undefined;
  /** REDIS_CA_FILE: the CA of a rediss:// server under a private CA. */
  readonly redisCaFile?: string | undefined;
  /** DATA_ENCRYPTION_KEY: the KEK of field encryption; the console needs it, the ws-server not. */
  readonly dataEncryptionKey?: string | undefined;
  /** JWT_KEYRING, as JSON. */
  readonly jwtKeyring: string;
  readonly peppers: ApiPeppers;
  readonly abuseOverrides?: AbuseConfigOverrides;
  /** The served certificate, for its expiry gauge. */
  readonly tlsCertFile?: string;
  /** The `/metrics` listener and the scheduled chain verification; undefined: neither. */
  readonly metrics?: MetricsConfig;
  /** The scheduled retention purge (the ws-server runs it); undefined: none. */
  readonly retention?: RetentionConfig;
};

/** The parts of an app's validated configuration (packages/config fragments) the API reads. */
export type FrontDoorConfig = {
  readonly http: { readonly publicOrigin: string };
  readonly database: PgConnectionOptions;
  readonly redis: { readonly url: string | undefined; readonly caFile: string | undefined };
  readonly secrets: {
    readonly DATA_ENCRYPTION_KEY?: string;
    readonly JWT_KEYRING: string;
    readonly INVITE_CODE_PEPPER: string;
    readonly API_KEY_PEPPER: string;
    readonly REFRESH_TOKEN_PEPPER: string;
  };
  readonly abuse: { readonly overrides: AbuseConfigOverrides };
  readonly tls: { readonly certFile: string };
  readonly metrics: MetricsConfig;
  readonly retention?: RetentionConfig;
};

/** Both front doors map their configuration the same way, here. */
export function processApiConfigOf(config: FrontDoorConfig): ProcessApiConfig {
  return {
    publicOrigin: config.http.publicOrigin,
    database: { url: config.database.url, caFile: config.database.caFile },
    redisUrl: config.redis.url,
    redisCaFile: config.redis.caFile,
    dataEncryptionKey: config.secrets.DATA_ENCRYPTION_KEY,
    jwtKeyring: config.secrets.JWT_KEYRING,
    peppers: {
      inviteCode: config.secrets.INVITE_CODE_PEPPER,
      apiKey: config.secrets.API_KEY_PEPPER,
      refreshToken: config.secrets.REFRESH_TOKEN_PEPPER,
    },
    abuseOverrides: config.abuse.overrides,
    tlsCertFile: config.tls.certFile,
    metrics: config.metrics,
    ...(config.retention === undefined ? {} : { retention: config.retention }),
  };
}

export type ProcessApiOptions = {
  readonly logger: Logger;
  /** Tests move time; a process uses the system clock. */
  readonly clock?: Clock;
};

export type ProcessApiDependencies = {
  readonly deps: ApiDependencies;
  /**
   * What carries revocations, event notices and ban changes to the other processes:
   * Redis (several instances) or PostgreSQL LISTEN/NOTIFY (embedded mode).
   */
  readonly bus: ProcessEventBuses["kind"];
  /**
   * Swaps in a rotated keyring (JWT_KEYRING re-read on SIGHUP): new tokens are signed
   * with its active key and the JWKS publishes it. Throws, keeping the old ring, when
   * the new one does not parse. Returns the active key's id.
   */
  reloadKeyring(json: string): Promise<string>;
  /**
   * Stops the metrics listener, the chain verification and the retention purge, writes
   * pending security events, then disconnects PostgreSQL and the buses.
   */
  close(): Promise<void>;
};

/**
 * The composition root of both front doors (ws-server and console): the API's
 * dependencies, built once per process, with one way to close them. A start that fails
 * half-way closes what it had opened before throwing.
 */
export async function createProcessApiDependencies(
  config: ProcessApiConfig,
  options: ProcessApiOptions,
): Promise<ProcessApiDependencies> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  // Parsed before anything is opened: a bad keyring leaves nothing to close.
  const keyring = await parseKeyring(config.jwtKeyring);
  // One registry per process: process and event-loop metrics plus the API's own.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createApiMetrics(registry);
  installDomainMetrics(metrics);
  const buses = await createProcessEventBuses({
    redisUrl: config.redisUrl,
    redisCaFile: config.redisCaFile,
    database: config.database,
    logger,
  });
  let prisma: PrismaClient | undefined;
  let abuse: ProcessAbuseProtection | undefined;
  let listener: MetricsListener | undefined;
  let verifier: AuditChainVerifier | undefined;
  let purge: RetentionPurge | undefined;
  const close = async (): Promise<void> => {
    await Promise.allSettled([listener?.close(), verifier?.stop(), purge?.stop()]);
    // Security events are written through Prisma, so abuse protection flushes first.
    await abuse?.close().catch((error: unknown) => {
      logger.error({ err: error }, "abuse protection did not close cleanly");
    });
    await Promise.allSettled([prisma?.$disconnect(), buses.close()]);
  };
  try {
    prisma = createPrismaClient(config.database);
    // One per process: the front door refuses banned clients with the same instance its
    // procedures count failures with.
    abuse = await createProcessAbuseProtection({
      redisUrl: config.redisUrl,
      redisCaFile: config.redisCaFile,
      prisma,
      clock,
      logger,
      overrides: config.abuseOverrides,
    });
    // Without Redis each process caches bans itself; bans and lifts made elsewhere (the
    // other app, the CLI) arrive by NOTIFY.
    if (buses.kind === "postgres") await abuse.abuse.bans.followChanges(buses.pubsub, logger);
    registerScrapeGauges(registry, {
      prisma,
      clock,
      logger,
      redisReady: abuse.redisReady,
      tlsCertFile: config.tlsCertFile,
    });
    if (config.metrics !== undefined) {
      listener = await startMetricsListener(registry, config.metrics.listener, logger);
      const everyMs = config.metrics.auditChainVerifyEveryMs;
      if (everyMs !== undefined)
        verifier = verifyAuditChainPeriodically({ prisma, metrics, logger, clock, everyMs });
    }
    if (config.retention !== undefined) {
      const policy = { ...config.retention, identityChallengeRetentionMs: 24 * 60 * 60_000 };
      purge = purgePeriodically({ prisma, clock, logger, policy, everyMs: 60 * 60_000 });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const deps: ApiDependencies = {
    prisma,
    logger,
    clock,
    keyring,
    peppers: config.peppers,
    config: createApiConfig({
      // The JWKS that verifies these tokens is served from this origin.
      issuer: config.publicOrigin,
      audiences: TOKEN_AUDIENCES,
      guardianOrigin: config.publicOrigin,
    }),
    sessionEvents: buses.sessionEvents,
    guardianEvents: buses.guardianEvents,
    abuse: abuse.abuse,
    metrics,
    fields:
      config.dataEncryptionKey === undefined
        ? unavailableFieldCipher
        : createFieldCipher({
            prisma,
            kek: deriveKeyEncryptionKey(config.dataEncryptionKey),
            clock,
            logger,
          }),
  };
  return {
    deps,
    bus: buses.kind,
    async reloadKeyring(json) {
      deps.keyring = await parseKeyring(json);
      return activeKey(deps.keyring).kid;
    },
    close,
  };
}
