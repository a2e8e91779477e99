import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "@conclave/logger/create-logger";
import type { GuardianEventBus, GuardianEventNotice } from "./guardian-event-bus";
import { logRedisErrors } from "./log-redis-errors";

export const guardianEventChannel = "conclave:guardian-events:v1";

const noticePattern = /^([0-9a-f-]{36}):([0-9]{1,19})$/;

export type RedisGuardianEventBusOptions = {
  url: string;
  logger: Logger;
  channel?: string;
};

// Several ws-server instances: every instance publishes to one channel and fans the
// notices it receives out to its local sockets. A message is `<guardianId>:<eventId>`,
// nothing else, so Redis never sees event content.
export async function createRedisGuardianEventBus(
  options: RedisGuardianEventBusOptions,
): Promise<GuardianEventBus> {
  const channel = options.channel ?? guardianEventChannel;
  const publisher = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.url, { lazyConnect: true });
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  logRedisErrors(publisher, options.logger, "guardian event bus publisher");
  logRedisErrors(subscriber, options.logger, "guardian event bus subscriber");
  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const match = noticePattern.exec(message);
    if (!match?.[1] || !match[2]) return;
    emitter.emit(match[1], BigInt(match[2]));
  });
  await publisher.connect();
  await subscriber.connect();
  await subscriber.subscribe(channel);

  return {
    publish(notices: readonly GuardianEventNotice[]) {
      for (const notice of notices) {
        // Fire and forget: subscribers also poll, so a dropped publish only delays.
        publisher
          .publish(channel, `${notice.guardianId}:${notice.eventId.toString()}`)
          .catch((error: unknown) => {
            options.logger.warn(
              { err: { message: error instanceof Error ? error.message : "unknown" } },
              "guardian event bus: publish failed",
            );
          });
      }
    },
    subscribe(guardianId, listener) {
      emitter.on(guardianId, listener);
      return () => emitter.off(guardianId, listener);
    },
    async close() {
      emitter.removeAllListeners();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
