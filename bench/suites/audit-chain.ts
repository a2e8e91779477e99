// What the tamper-evident chain costs: an audited write (advisory lock, read the
// chain head, hash, insert) against a plain insert of a similar row, both in
// their own transaction, measured in the same run.
import { writeAudit } from "@conclave/db/audit/write-audit";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase } from "@conclave/db/testing/create-test-database";
import { measure, report } from "../measure";

export async function auditChainBench(): Promise<void> {
  const database = await createTestDatabase();
  const prisma = createPrismaClient({ url: database.appUrl, max: 20 });
  const vaultId = "7d1b3c0e-9f4a-4c61-8d7e-2a8b1e0f5c33";
  const details = {
    name: "treasury",
    chain: "bitcoin",
    network: "mainnet",
    threshold: 3,
    guardianCount: 5,
  };
  try {
    for (const concurrency of [1, 20]) {
      const total = concurrency === 1 ? 500 : 2000;
      const baseline = await measure(
        `plain insert (${concurrency} at a time)`,
        () =>
          prisma.$transaction((tx) =>
            tx.securityEvent.create({ data: { kind: "bench", severity: "INFO", details } }),
          ),
        { total, concurrency },
      );
      const audited = await measure(
        `writeAudit (${concurrency} at a time)`,
        () =>
          prisma.$transaction((tx) =>
            writeAudit(tx, {
              actorType: "system",
              action: "vault.create",
              targetType: "vault",
              targetId: vaultId,
              outcome: "SUCCESS",
              details,
            }),
          ),
        { total, concurrency },
      );
      report(`audit chain, ${concurrency} writer(s) at a time`, baseline, [audited]);
    }
  } finally {
    await prisma.$disconnect();
    await database.drop();
  }
}
