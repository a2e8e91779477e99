import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Logger } from "@conclave/logger/create-logger";
import type { PubSub } from "./pubsub";
import {
  createInProcessSessionRevocationBus,
  type SessionRevocation,
  type SessionRevocationBus,
} from "./session-revocation-bus";
import { subscribeJson } from "./subscribe-json";

export const SESSION_REVOCATION_CHANNEL = "conclave:session-revoked";

const wireMessage = z.strictObject({
  instance: z.uuid(),
  sessionId: z.string().min(1).max(64),
  reason: z.string().min(1).max(128),
});

// Every process of a deployment (ws-server instances, the console) shares one channel:
// a revocation published in any of them closes the session's sockets and
// subscriptions in all of them. Listeners of this process hear it immediately (not
// after the round trip, and also while the channel is down); the echo of our own
// message is dropped by instance id. A process that misses a message still refuses
// the session on its next call, since every call consults the Session row.
export async function createPubSubSessionRevocationBus(
  pubsub: PubSub,
  options: { logger: Logger; channel?: string },
): Promise<SessionRevocationBus> {
  const channel = options.channel ?? SESSION_REVOCATION_CHANNEL;
  const instance = randomUUID();
  const local = createInProcessSessionRevocationBus();
  // Resolves once subscribed, so nothing published after this returns can be missed.
  await subscribeJson(pubsub, channel, wireMessage, options.logger, (message) => {
    if (message.instance === instance) return;
    local.publish({ sessionId: message.sessionId, reason: message.reason });
  });
  return {
    ...local,
    publish(revocation: SessionRevocation) {
      local.publish(revocation);
      pubsub
        .publish(channel, JSON.stringify({ instance, ...revocation }))
        .catch((error: unknown) => {
          options.logger.error(
            { err: error, sessionId: revocation.sessionId },
            "revocation bus: publish failed; other processes refuse the session on its next call",
          );
        });
    },
  };
}
