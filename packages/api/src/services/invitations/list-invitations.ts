import type { ApiDependencies } from "../../context/api-dependencies";

export type InvitationSummary = {
  id: string;
  vaultId: string;
  role: "GUARDIAN";
  status: "PENDING" | "USED" | "REVOKED" | "EXPIRED";
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdById: string;
};

export async function listInvitations(
  deps: ApiDependencies,
  input: { vaultId?: string | undefined },
): Promise<InvitationSummary[]> {
  const now = deps.clock.now();
  const rows = await deps.prisma.invitation.findMany({
    where: input.vaultId ? { vaultId: input.vaultId } : {},
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map((row) => ({
    id: row.id,
    vaultId: row.vaultId,
    role: row.role,
    status: row.revokedAt
      ? "REVOKED"
      : row.usedAt
        ? "USED"
        : row.expiresAt <= now
          ? "EXPIRED"
          : "PENDING",
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    createdById: row.createdById,
  }));
}
