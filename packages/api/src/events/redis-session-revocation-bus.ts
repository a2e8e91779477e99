import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "@conclave/logger/create-logger";
import { logRedisErrors } from "./log-redis-errors";
import type { SessionRevocation, SessionRevocationBus } from "./session-revocation-bus";

export const SESSION_REVOCATION_CHANNEL = "conclave:session-revoked";

export type RedisSessionRevocationBus = SessionRevocationBus & {
  /** Unsubscribes and closes both Redis connections. */
  close(): Promise<void>;
};

export type RedisSessionRevocationBusOptions = {
  url: string;
  logger: Logger;
  channel?: string;
};

const wireMessage = z.strictObject({
  instance: z.string().max(64),
  sessionId: z.string().max(64),
  reason: z.string().max(128),
});

// Several ws-server instances share one Redis: a revocation published on any of them
// closes the session's sockets on all of them. Listeners of this instance hear it
// immediately (not after the Redis round trip, and also when Redis is down); the echo
// of our own message is dropped by instance id. Pub/sub is fire-and-forget: an
// instance that misses a message still refuses the session on its next call, since
// every call consults the Session row.
export async function createRedisSessionRevocationBus(
  options: RedisSessionRevocationBusOptions,
): Promise<RedisSessionRevocationBus> {
  const channel = options.channel ?? SESSION_REVOCATION_CHANNEL;
  const instance = randomUUID();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  // A subscribed connection cannot publish, so there are two.
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  logRedisErrors(publisher, options.logger, "revocation bus publisher");
  logRedisErrors(subscriber, options.logger, "revocation bus subscriber");
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: z.infer<typeof wireMessage>;
    try {
      parsed = wireMessage.parse(JSON.parse(text));
    } catch {
      options.logger.warn("redis revocation bus: malformed message dropped");
      return;
    }
    if (parsed.instance === instance) return;
    emitter.emit("revoked", { sessionId: parsed.sessionId, reason: parsed.reason });
  });
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    // Resolves once Redis confirmed the subscription, so nothing published after
    // this function returns can be missed.
    await subscriber.subscribe(channel);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }

  return {
    publish(revocation: SessionRevocation) {
      emitter.emit("revoked", revocation);
      publisher
        .publish(channel, JSON.stringify({ instance, ...revocation }))
        .catch((error: unknown) => {
          options.logger.error(
            { err: error, sessionId: revocation.sessionId },
            "redis revocation bus: publish failed; other instances close on the next call",
          );
        });
    },
    subscribe(listener) {
      emitter.on("revoked", listener);
      return () => emitter.off("revoked", listener);
    },
    async close() {
      emitter.removeAllListeners();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
