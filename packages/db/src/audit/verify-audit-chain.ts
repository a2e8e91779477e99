import type { DbTransaction, PrismaClient } from "../create-prisma-client";
import { toAuditActionName } from "./audit-action";
import { auditGenesisHash, computeAuditHash } from "./canonical-audit-encoding";
import type { JsonValue } from "./canonical-audit-encoding";

export type AuditChainVerdict =
  { ok: true; count: number } | { ok: false; brokenSeq: bigint; reason: string; count: number };

/**
 * Walks the chain in seq order and reports the first row whose link or content does
 * not check out. `count` is the number of rows verified before stopping.
 */
export async function verifyAuditChain(
  prisma: PrismaClient | DbTransaction,
  options: { batchSize?: number } = {},
): Promise<AuditChainVerdict> {
  const batchSize = options.batchSize ?? 1000;
  let expectedPrev = auditGenesisHash;
  let afterSeq: bigint | undefined;
  let count = 0;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: afterSeq === undefined ? {} : { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    for (const row of rows) {
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          brokenSeq: row.seq,
          reason: "prevHash does not match the previous row's hash",
          count,
        };
      }
      const hash = computeAuditHash({
        ...row,
        action: toAuditActionName(row.action),
        details: row.details as JsonValue,
      });
      if (hash !== row.hash) {
        return {
          ok: false,
          brokenSeq: row.seq,
          reason: "hash does not match the row's contents",
          count,
        };
      }
      expectedPrev = row.hash;
      count += 1;
    }
    const lastRow = rows.at(-1);
    if (lastRow === undefined || rows.length < batchSize) return { ok: true, count };
    afterSeq = lastRow.seq;
  }
}
