import { writeAudit } from "@conclave/db/audit/write-audit";
import type { PrismaClient } from "@conclave/db/create-prisma-client";

export type BackupRunKind = "database" | "secrets";

export type BackupRunOutcome =
  | {
      readonly ok: true;
      readonly fileName: string | null;
      readonly ciphertextSha256: string;
      readonly ciphertextBytes: number;
      readonly auditHeadSeq: string | null;
    }
  | { readonly ok: false; readonly reason: string };

const prismaKind = { database: "DATABASE", secrets: "SECRETS" } as const;

/** Records that a run started, so a run that never finishes stays visible as RUNNING. */
export async function startBackupRun(
  prisma: PrismaClient,
  kind: BackupRunKind,
  operator: string,
): Promise<string> {
  const run = await prisma.backupRun.create({
    data: { kind: prismaKind[kind], startedAt: new Date(), operator: operator.slice(0, 100) },
    select: { id: true },
  });
  return run.id;
}

/** Closes the run and writes its backup.create audit row in one transaction. */
export async function finishBackupRun(
  prisma: PrismaClient,
  run: { id: string; kind: BackupRunKind; operator: string },
  outcome: BackupRunOutcome,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.backupRun.update({
      where: { id: run.id },
      data: outcome.ok
        ? {
            status: "SUCCEEDED",
            finishedAt: new Date(),
            fileName: outcome.fileName,
            ciphertextSha256: outcome.ciphertextSha256,
            ciphertextBytes: BigInt(outcome.ciphertextBytes),
            auditHeadSeq: outcome.auditHeadSeq === null ? null : BigInt(outcome.auditHeadSeq),
          }
        : { status: "FAILED", finishedAt: new Date(), failureReason: outcome.reason.slice(0, 200) },
    });
    await writeAudit(tx, {
      actorType: "SYSTEM",
      actorId: `cli:${run.operator}`,
      action: "backup.create",
      targetType: "backup_run",
      targetId: run.id,
      outcome: outcome.ok ? "SUCCESS" : "FAILURE",
      details: {
        backupRunId: run.id,
        kind: run.kind,
        fileName: outcome.ok ? outcome.fileName : null,
        ciphertextSha256: outcome.ok ? outcome.ciphertextSha256 : null,
        auditHeadSeq: outcome.ok ? outcome.auditHeadSeq : null,
        reason: outcome.ok ? null : outcome.reason.slice(0, 200),
      },
    });
  });
}
