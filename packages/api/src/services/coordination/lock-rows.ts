import type { DbTransaction } from "@conclave/db/create-prisma-client";

// Row locks taken first in every coordination transaction (before the audit and
// event-log advisory locks), so concurrent submissions for one vault or one
// transaction are applied one at a time and always see each other's effects.
export async function lockVault(tx: DbTransaction, vaultId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Vault" WHERE id = ${vaultId}::uuid FOR UPDATE`;
  return rows.length === 1;
}

export async function lockTransaction(tx: DbTransaction, transactionId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM "Transaction" WHERE id = ${transactionId}::uuid FOR UPDATE`;
  return rows.length === 1;
}
