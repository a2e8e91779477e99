import type { Logger } from "@conclave/logger/create-logger";

export type OutageLog = {
  failed(error: Error): void;
  recovered(): void;
};

/**
 * Logs a connection's failures without flooding the log: a client that retries every
 * couple of seconds reports each failure. The first error of an outage is logged, then
 * at most one line per `everyMs` saying how many were left out, and the recovery once.
 * Only the message is logged (a connection URL may carry a password).
 */
export function createOutageLog(
  logger: Logger,
  label: string,
  backend: "redis" | "postgres",
  options: { everyMs?: number; now?: () => number } = {},
): OutageLog {
  const everyMs = options.everyMs ?? 60_000;
  const now = options.now ?? Date.now;
  let failing = false;
  let lastLogged = -Infinity;
  let suppressed = 0;
  return {
    failed(error) {
      const at = now();
      if (failing && at - lastLogged < everyMs) {
        suppressed++;
        return;
      }
      logger.warn({ err: { message: error.message }, suppressed }, `${label}: ${backend} error`);
      failing = true;
      lastLogged = at;
      suppressed = 0;
    },
    recovered() {
      if (!failing) return;
      logger.info({ suppressed }, `${label}: ${backend} reachable again`);
      failing = false;
      suppressed = 0;
    },
  };
}
