import { pgConnectionConfig, type PgConnectionOptions } from "@conclave/db/pg-connection-config";
import type { Logger } from "@conclave/logger/create-logger";
import type { GuardianEventBus } from "./guardian-event-bus";
import { createPostgresPubSub } from "./postgres-pubsub";
import type { PubSub } from "./pubsub";
import { createPubSubGuardianEventBus } from "./pubsub-guardian-event-bus";
import { createPubSubSessionRevocationBus } from "./pubsub-session-revocation-bus";
import { createRedisPubSub } from "./redis-pubsub";
import type { SessionRevocationBus } from "./session-revocation-bus";

export type ProcessEventBuses = {
  readonly sessionEvents: SessionRevocationBus;
  readonly guardianEvents: GuardianEventBus;
  /**
   * What carries them between processes: Redis pub/sub when REDIS_URL is set, else
   * PostgreSQL LISTEN/NOTIFY on the application database (embedded mode).
   */
  readonly kind: "redis" | "postgres";
  readonly pubsub: PubSub;
  close(): Promise<void>;
};

/**
 * The buses of one process (ws-server or console). Both apps build them the same way,
 * so a revocation made in the console closes the ws-server's sockets in every mode.
 * The PostgreSQL connection uses the same URL and TLS settings as Prisma.
 */
export async function createProcessEventBuses(options: {
  redisUrl: string | undefined;
  /** REDIS_CA_FILE, for a rediss:// URL under a private CA. */
  redisCaFile?: string | undefined;
  database: PgConnectionOptions;
  logger: Logger;
}): Promise<ProcessEventBuses> {
  const { logger } = options;
  const kind = options.redisUrl === undefined ? "postgres" : "redis";
  const pubsub =
    options.redisUrl === undefined
      ? await createPostgresPubSub({
          connection: pgConnectionConfig(options.database),
          logger,
          label: "event buses",
        })
      : await createRedisPubSub({
          redis: { url: options.redisUrl, caFile: options.redisCaFile },
          logger,
          label: "event buses",
        });
  try {
    const sessionEvents = await createPubSubSessionRevocationBus(pubsub, { logger });
    const guardianEvents = await createPubSubGuardianEventBus(pubsub, { logger });
    return {
      sessionEvents,
      guardianEvents,
      kind,
      pubsub,
      async close() {
        await guardianEvents.close();
        await pubsub.close();
      },
    };
  } catch (error) {
    await pubsub.close();
    throw error;
  }
}
