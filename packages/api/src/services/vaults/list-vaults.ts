import type { ApiDependencies } from "../../context/api-dependencies";
import type { VaultView } from "./vault-view";
import { vaultViewSelect } from "./vault-view";

export async function listVaults(deps: ApiDependencies): Promise<VaultView[]> {
  return deps.prisma.vault.findMany({
    orderBy: { createdAt: "desc" },
    take: 500,
    select: vaultViewSelect,
  });
}
