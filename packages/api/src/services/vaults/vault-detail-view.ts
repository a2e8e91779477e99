import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";
import { NotFoundError } from "../../errors/not-found-error";

export type VaultDetail = {
  id: string;
  name: string;
  chain: string;
  network: string;
  threshold: number;
  guardianCount: number;
  status: "DRAFT" | "INVITING" | "KEYGEN" | "ACTIVE" | "DISABLED" | "DELETED";
  groupPublicKeyXOnly: string | null;
  createdAt: Date;
  activatedAt: Date | null;
  disabledAt: Date | null;
  deletedAt: Date | null;
  members: {
    guardianId: string;
    guardianIndex: number | null;
    displayName: string;
    joinedAt: Date;
  }[];
  keygen: {
    ceremonyId: string;
    attempt: number;
    round: number;
    status: "OPEN" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
    roundDeadline: Date;
    failureReason: string | null;
  } | null;
};

export async function loadVaultDetail(
  db: PrismaClient | DbTransaction,
  vaultId: string,
): Promise<VaultDetail> {
  const vault = await db.vault.findUnique({
    where: { id: vaultId },
    include: {
      memberships: {
        where: { revokedAt: null },
        orderBy: [{ guardianIndex: "asc" }, { createdAt: "asc" }],
        include: { guardian: { select: { displayName: true } } },
      },
      dkgCeremonies: { orderBy: { attempt: "desc" }, take: 1 },
    },
  });
  if (!vault) throw new NotFoundError("vault_not_found");
  const ceremony = vault.dkgCeremonies[0];
  return {
    id: vault.id,
    name: vault.name,
    chain: vault.chain,
    network: vault.network,
    threshold: vault.threshold,
    guardianCount: vault.guardianCount,
    status: vault.status,
    groupPublicKeyXOnly: vault.groupPublicKeyXOnly,
    createdAt: vault.createdAt,
    activatedAt: vault.activatedAt,
    disabledAt: vault.disabledAt,
    deletedAt: vault.deletedAt,
    members: vault.memberships.map((m) => ({
      guardianId: m.guardianId,
      guardianIndex: m.guardianIndex,
      displayName: m.guardian.displayName,
      joinedAt: m.createdAt,
    })),
    keygen: ceremony
      ? {
          ceremonyId: ceremony.id,
          attempt: ceremony.attempt,
          round: ceremony.round,
          status: ceremony.status,
          roundDeadline: ceremony.roundDeadline,
          failureReason: ceremony.failureReason,
        }
      : null,
  };
}
