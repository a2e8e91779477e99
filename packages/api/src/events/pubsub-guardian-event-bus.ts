import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Logger } from "@conclave/logger/create-logger";
import { createInProcessGuardianEventBus, type GuardianEventBus } from "./guardian-event-bus";
import type { PubSub } from "./pubsub";
import { subscribeJson } from "./subscribe-json";

// v2: JSON with the sender's instance (v1 was `<guardianId>:<eventId>` text).
export const guardianEventChannel = "conclave:guardian-events:v2";

// About 90 bytes a notice: 50 keep a message well under PostgreSQL's 8000-byte payload.
const noticesPerMessage = 50;

const wireMessage = z.strictObject({
  instance: z.uuid(),
  notices: z
    .array(
      z.strictObject({
        guardianId: z.uuid(),
        eventId: z.string().regex(/^[0-9]{1,19}$/),
      }),
    )
    .min(1)
    .max(noticesPerMessage),
});

// Every process publishes to one channel and fans the notices it receives out to its
// own subscribers. A message names guardians and event ids, nothing else, so the
// channel never carries event content. Subscribers of this process hear a notice at
// once; the echo of our own message is dropped by instance id.
export async function createPubSubGuardianEventBus(
  pubsub: PubSub,
  options: { logger: Logger; channel?: string },
): Promise<GuardianEventBus> {
  const channel = options.channel ?? guardianEventChannel;
  const instance = randomUUID();
  const local = createInProcessGuardianEventBus();
  await subscribeJson(pubsub, channel, wireMessage, options.logger, (message) => {
    if (message.instance === instance) return;
    local.publish(
      message.notices.map(({ guardianId, eventId }) => ({ guardianId, eventId: BigInt(eventId) })),
    );
  });
  return {
    ...local,
    publish(notices) {
      local.publish(notices);
      for (let start = 0; start < notices.length; start += noticesPerMessage) {
        const chunk = notices.slice(start, start + noticesPerMessage).map((notice) => ({
          guardianId: notice.guardianId,
          eventId: notice.eventId.toString(),
        }));
        // Fire and forget: subscribers also poll, so a lost message only delays.
        pubsub
          .publish(channel, JSON.stringify({ instance, notices: chunk }))
          .catch((error: unknown) => {
            options.logger.warn(
              { err: { message: error instanceof Error ? error.message : "unknown" } },
              "guardian event bus: publish failed",
            );
          });
      }
    },
  };
}
