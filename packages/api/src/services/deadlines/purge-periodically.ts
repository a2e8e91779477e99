import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../../clock/clock";
import { purgeExpiredRecords, type RetentionPolicy } from "./purge-expired-records";

export type RetentionPurge = { stop(): Promise<void> };

/** Runs the retention purge at start and every `everyMs`, never two at once here. */
export function purgePeriodically(options: {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  policy: RetentionPolicy;
  everyMs: number;
}): RetentionPurge {
  const { prisma, clock, logger, policy } = options;
  let running: Promise<void> | undefined;
  const tick = (): void => {
    running ??= purgeExpiredRecords({ prisma }, policy, clock.now())
      .then((result) => {
        if (result !== null) logger.info(result, "retention purge");
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "retention purge failed; retrying next interval");
      })
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
