import type { ApiDependencies } from "../../context/api-dependencies";
import { NotFoundError } from "../../errors/not-found-error";
import type { VaultView } from "./vault-view";
import { vaultViewSelect } from "./vault-view";

// Access is decided by the vault guard before this runs.
export async function getVault(deps: ApiDependencies, vaultId: string): Promise<VaultView> {
  const vault = await deps.prisma.vault.findUnique({
    where: { id: vaultId },
    select: vaultViewSelect,
  });
  if (!vault) throw new NotFoundError("vault_not_found");
  return vault;
}
