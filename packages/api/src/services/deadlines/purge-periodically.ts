import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../../clock/clock";
import { runPeriodically, type PeriodicTask } from "../../clock/run-periodically";
import { purgeExpiredRecords, type RetentionPolicy } from "./purge-expired-records";

export type RetentionPurge = PeriodicTask;

/** Runs the retention purge at start and every `everyMs`, never two at once here. */
export function purgePeriodically(options: {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  policy: RetentionPolicy;
  everyMs: number;
}): RetentionPurge {
  const { prisma, clock, logger, policy } = options;
  return runPeriodically(async () => {
    try {
      const result = await purgeExpiredRecords({ prisma }, policy, clock.now());
      if (result !== null) logger.info(result, "retention purge");
    } catch (error) {
      logger.error({ err: error }, "retention purge failed; retrying next interval");
    }
  }, options.everyMs);
}
