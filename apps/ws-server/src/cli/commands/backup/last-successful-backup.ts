import type { PrismaClient } from "@conclave/db/create-prisma-client";

/**
 * When the last database backup succeeded, or null when none ever did: what a health
 * check or an alert ("no successful backup in 26 h") reads. The app role may read it.
 */
export async function lastSuccessfulBackupAt(prisma: PrismaClient): Promise<Date | null> {
  const run = await prisma.backupRun.findFirst({
    where: { kind: "DATABASE", status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  return run?.finishedAt ?? null;
}
