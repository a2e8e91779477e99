import type { ApiDependencies } from "../../context/api-dependencies";
import type { VaultView } from "./vault-view";
import { vaultViewSelect } from "./vault-view";

export async function listMemberVaults(
  deps: ApiDependencies,
  guardianId: string,
): Promise<VaultView[]> {
  const memberships = await deps.prisma.vaultMembership.findMany({
    where: { guardianId, revokedAt: null, vault: { status: { not: "DELETED" } } },
    orderBy: { createdAt: "asc" },
    select: { vault: { select: vaultViewSelect } },
  });
  return memberships.map((membership) => membership.vault);
}
