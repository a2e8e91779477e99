import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { DatabaseBackupContent } from "./backup-manifest";
import { countRows } from "./database-snapshot";

export class RestoreCheckError extends Error {
  override name = "RestoreCheckError";
}

/** Row counts per table must be exactly the manifest's. */
export async function checkRowCounts(
  prisma: PrismaClient,
  expected: DatabaseBackupContent["rowCounts"],
): Promise<number> {
  const actual = await prisma.$transaction((tx) => countRows(tx));
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const differing = tables.filter((table) => expected[table] !== actual[table]);
  if (differing.length > 0) {
    throw new RestoreCheckError(
      `row counts differ from the manifest in ${differing
        .map(
          (table) =>
            `${table} (${String(actual[table] ?? "missing")} restored, ${String(expected[table] ?? "none")} expected)`,
        )
        .join(", ")}`,
    );
  }
  return Object.values(actual).reduce((sum, n) => sum + n, 0);
}

/**
 * The audit chain must verify from its genesis, and the row at the manifest's head must
 * carry the head's hash: the signed manifest anchors the chain, so a chain rewritten
 * consistently before the backup was taken cannot pass for the original.
 */
export async function checkAuditAnchor(
  prisma: PrismaClient,
  head: DatabaseBackupContent["auditHead"],
): Promise<number> {
  const verdict = await verifyAuditChain(prisma);
  if (!verdict.ok) {
    throw new RestoreCheckError(
      `the restored audit chain is broken at seq ${verdict.brokenSeq.toString()}: ${verdict.reason}`,
    );
  }
  if (head === null) return verdict.count;
  const row = await prisma.auditEvent.findUnique({
    where: { seq: BigInt(head.seq) },
    select: { hash: true },
  });
  if (row?.hash !== head.hash) {
    throw new RestoreCheckError(
      `the restored audit row ${head.seq} does not carry the manifest's head hash`,
    );
  }
  return verdict.count;
}
