import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";

/**
 * `conclave audit verify`: walks the hash chain and prints one verdict line.
 * Resolves to the process exit code: 0 intact, 1 broken.
 */
export async function auditVerify(
  prisma: PrismaClient,
  print: (line: string) => void,
): Promise<number> {
  const verdict = await verifyAuditChain(prisma);
  if (verdict.ok) {
    print(`audit chain OK: ${verdict.count} rows`);
    return 0;
  }
  print(`audit chain BROKEN at seq ${verdict.brokenSeq.toString()}: ${verdict.reason}`);
  return 1;
}
