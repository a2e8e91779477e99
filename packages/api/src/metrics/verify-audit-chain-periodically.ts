import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../clock/clock";
import { runPeriodically, type PeriodicTask } from "../clock/run-periodically";
import type { ApiMetrics } from "./create-api-metrics";

export type AuditChainVerifier = PeriodicTask;

/**
 * Verifies the whole audit chain at start and every `everyMs`, so Prometheus can alert
 * on a broken chain and on a verification that has not succeeded for too long
 * (`conclave_audit_chain_last_verification_success_timestamp_seconds`).
 */
export function verifyAuditChainPeriodically(options: {
  prisma: PrismaClient;
  metrics: ApiMetrics;
  logger: Logger;
  clock: Clock;
  everyMs: number;
}): AuditChainVerifier {
  const { prisma, metrics, logger, clock } = options;
  const run = async (): Promise<void> => {
    try {
      const verdict = await verifyAuditChain(prisma);
      if (verdict.ok) {
        metrics.auditChainVerifications.inc({ result: "ok" });
        metrics.auditChainLastSuccess.set(clock.now().getTime() / 1000);
        return;
      }
      metrics.auditChainVerifications.inc({ result: "broken" });
      logger.error(
        { brokenSeq: verdict.brokenSeq.toString(), reason: verdict.reason },
        "audit chain verification found a broken link",
      );
    } catch (error) {
      metrics.auditChainVerifications.inc({ result: "error" });
      logger.warn({ err: error }, "audit chain verification could not run");
    }
  };
  return runPeriodically(run, options.everyMs);
}
