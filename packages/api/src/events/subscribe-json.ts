import type { z } from "zod";
import type { Logger } from "@conclave/logger/create-logger";
import type { PubSub } from "./pubsub";

// PostgreSQL caps a NOTIFY payload at 8000 bytes; the same bound holds on Redis.
const maxMessageLength = 8_000;

/**
 * Subscribes with a strict schema: anyone who can publish on the channel (any
 * database or Redis client) could send anything, so a message that is not exactly
 * what a bus sends is dropped and logged, never acted on.
 */
export async function subscribeJson<Message>(
  pubsub: PubSub,
  channel: string,
  schema: z.ZodType<Message>,
  logger: Logger,
  onMessage: (message: Message) => void,
): Promise<void> {
  await pubsub.subscribe(channel, (text) => {
    const parsed = text.length <= maxMessageLength ? schema.safeParse(parseJson(text)) : null;
    if (parsed?.success !== true) {
      logger.warn({ channel, length: text.length }, "pubsub: malformed message dropped");
      return;
    }
    onMessage(parsed.data);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
