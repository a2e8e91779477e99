import type { Logger } from "@conclave/logger/create-logger";
import { createRedisClient, type RedisTarget } from "./create-redis-client";
import { logRedisErrors } from "./log-redis-errors";
import type { PubSub } from "./pubsub";

/** Redis pub/sub on two connections: a subscribed connection cannot publish. */
export async function createRedisPubSub(options: {
  redis: RedisTarget;
  logger: Logger;
  label: string;
}): Promise<PubSub> {
  const publisher = createRedisClient(options.redis, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
  });
  const subscriber = createRedisClient(options.redis, { lazyConnect: true });
  logRedisErrors(publisher, options.logger, `${options.label} publisher`);
  logRedisErrors(subscriber, options.logger, `${options.label} subscriber`);
  const handlers = new Map<string, (message: string) => void>();
  subscriber.on("message", (channel: string, message: string) => {
    handlers.get(channel)?.(message);
  });
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return {
    async publish(channel, message) {
      await publisher.publish(channel, message);
    },
    async subscribe(channel, onMessage) {
      handlers.set(channel, onMessage);
      // Resolves once Redis confirmed the subscription (ioredis renews it on reconnect).
      await subscriber.subscribe(channel);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
