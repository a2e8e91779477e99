import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";

export type VaultMember = {
  guardianId: string;
  guardianIndex: number;
  identityPublicKey: string;
};

/** Active members with a FROST index, in index order. */
export async function listVaultMembers(
  db: DbTransaction | PrismaClient,
  vaultId: string,
): Promise<VaultMember[]> {
  const rows = await db.vaultMembership.findMany({
    where: { vaultId, revokedAt: null, guardianIndex: { not: null } },
    orderBy: { guardianIndex: "asc" },
    select: {
      guardianId: true,
      guardianIndex: true,
      guardian: { select: { identityPublicKey: true } },
    },
  });
  return rows.map((row) => ({
    guardianId: row.guardianId,
    guardianIndex: row.guardianIndex ?? 0,
    identityPublicKey: row.guardian.identityPublicKey,
  }));
}

export function memberOf(
  members: readonly VaultMember[],
  guardianId: string,
): VaultMember | undefined {
  return members.find((member) => member.guardianId === guardianId);
}
