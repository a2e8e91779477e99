import type { Logger } from "@conclave/logger/create-logger";
import { createOutageLog } from "./outage-log";

/** What this needs of an ioredis connection. */
export type RedisEventSource = {
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
};

/**
 * Logs a Redis connection's errors once per outage (createOutageLog): during an outage
 * ioredis retries every couple of seconds and reports each failure. The listener also
 * keeps ioredis from printing errors itself.
 */
export function logRedisErrors(
  connection: RedisEventSource,
  logger: Logger,
  label: string,
  options: { everyMs?: number; now?: () => number } = {},
): void {
  const outage = createOutageLog(logger, label, "redis", options);
  connection.on("error", (error) => {
    outage.failed(error);
  });
  connection.on("ready", () => {
    outage.recovered();
  });
}
