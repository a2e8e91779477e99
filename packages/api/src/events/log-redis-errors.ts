import type { Logger } from "@conclave/logger/create-logger";

/** What this needs of an ioredis connection. */
export type RedisEventSource = {
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
};

/**
 * Logs a Redis connection's errors without flooding the log: during an outage ioredis
 * retries every couple of seconds and reports each failure. The first error of an
 * outage is logged, then at most one line per `everyMs` saying how many were left
 * out, and the recovery once. Only the message is logged (a URL may carry a password).
 * The listener also keeps ioredis from printing errors itself.
 */
export function logRedisErrors(
  connection: RedisEventSource,
  logger: Logger,
  label: string,
  options: { everyMs?: number; now?: () => number } = {},
): void {
  const everyMs = options.everyMs ?? 60_000;
  const now = options.now ?? Date.now;
  let failing = false;
  let lastLogged = -Infinity;
  let suppressed = 0;
  connection.on("error", (error) => {
    const at = now();
    if (failing && at - lastLogged < everyMs) {
      suppressed++;
      return;
    }
    logger.warn({ err: { message: error.message }, suppressed }, `${label}: redis error`);
    failing = true;
    lastLogged = at;
    suppressed = 0;
  });
  connection.on("ready", () => {
    if (!failing) return;
    logger.info({ suppressed }, `${label}: redis reachable again`);
    failing = false;
    suppressed = 0;
  });
}
