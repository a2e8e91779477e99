import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { lastSuccessfulBackupAt } from "../backup/last-successful-backup";
import { fail, pass, warn, type CheckResult } from "./doctor-check";

/** The backup timer runs daily; 26 h leaves room for one slow run. */
const MAX_BACKUP_AGE_HOURS = 26;

export async function checkAuditChain(prisma: PrismaClient): Promise<CheckResult> {
  const item = "audit chain verifies";
  const verdict = await verifyAuditChain(prisma);
  if (verdict.ok) return pass(item, `${String(verdict.count)} rows, every link intact`);
  return fail(item, `broken at seq ${verdict.brokenSeq.toString()}: ${verdict.reason}`);
}

export async function checkLastBackup(prisma: PrismaClient, now: Date): Promise<CheckResult> {
  const item = "time since the last backup";
  const last = await lastSuccessfulBackupAt(prisma);
  if (last === null) {
    return warn(item, "no successful backup recorded; enable conclave-backup.timer");
  }
  const hours = Math.floor((now.getTime() - last.getTime()) / 3_600_000);
  const reason = `last successful backup ${last.toISOString()} (${String(hours)} h ago)`;
  return hours > MAX_BACKUP_AGE_HOURS ? fail(item, reason) : pass(item, reason);
}
