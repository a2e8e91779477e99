import type { ApiDependencies } from "@conclave/api/context/api-dependencies";
import { sweepDeadlines } from "@conclave/api/services/deadlines/sweep-deadlines";

/** How often persisted DKG and signing deadlines are enforced. */
export const SWEEP_INTERVAL_MS = 5_000;

export interface DeadlineSweeper {
  /** Stops the interval and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Runs sweepDeadlines on an interval, never two at once in this process. Several
 * instances may sweep concurrently: the service re-checks each item under its row lock.
 */
export function startDeadlineSweeper(
  deps: ApiDependencies,
  intervalMs = SWEEP_INTERVAL_MS,
): DeadlineSweeper {
  let running: Promise<void> | undefined;
  const tick = (): void => {
    if (running !== undefined) return;
    running = sweepDeadlines(deps, deps.clock.now())
      .then((result) => {
        if (result.keygenRoundsExpired > 0 || result.transactionsExpired > 0) {
          deps.logger.info(result, "deadlines enforced");
        }
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error }, "deadline sweep failed; retrying next interval");
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
