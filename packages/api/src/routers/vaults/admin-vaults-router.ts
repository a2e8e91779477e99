import { z } from "zod";
import {
  createVaultInput,
  retireVaultInput,
  vaultDetailOutput,
} from "../../schemas/coordination-schemas";
import {
  freshCredentialFields,
  freshCredentialMissing,
  hasFreshCredential,
} from "../../schemas/fresh-credentials-input";
import { entityId } from "../../schemas/identity-input-schemas";
import { vaultOutput } from "../../schemas/identity-output-schemas";
import { adminActor } from "../../rbac/principal";
import { createVault } from "../../services/vaults/create-vault";
import { getVault } from "../../services/vaults/get-vault";
import { listVaults } from "../../services/vaults/list-vaults";
import { retireVault } from "../../services/vaults/retire-vault";
import { loadVaultDetail } from "../../services/vaults/vault-detail-view";
import {
  freshCredentialsVaultProcedure,
  permissionProcedure,
  router,
  vaultProcedure,
} from "../../trpc";

const retireInput = retireVaultInput
  .extend(freshCredentialFields)
  .refine(hasFreshCredential, freshCredentialMissing);

// Disabling and deleting differ only in the status they leave the vault in. Both are
// one-way: the same procedure for a console session and an API key, with the vault's
// name typed again and a fresh credential in the same request.
function retireProcedure(status: "DISABLED" | "DELETED", operation: string) {
  return freshCredentialsVaultProcedure("vault.destroy", retireInput, { recordDenials: operation })
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      retireVault(
        ctx.deps,
        ctx.request,
        adminActor(ctx.principal),
        { vaultId: input.vaultId, confirmName: input.confirmName },
        status,
      ),
    );
}

// Every vault, for the console and API keys; guardians see theirs in guardian-vaults-router.
export const adminVaultsRouter = router({
  list: permissionProcedure("vault.read")
    .output(z.array(vaultOutput))
    .query(({ ctx }) => listVaults(ctx.deps)),

  get: vaultProcedure("vault.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultOutput)
    .query(({ ctx, input }) => getVault(ctx.deps, input.vaultId)),

  detail: vaultProcedure("vault.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultDetailOutput)
    .query(({ ctx, input }) => loadVaultDetail(ctx.deps.prisma, input.vaultId)),

  create: permissionProcedure("vault.write", { recordDenials: "vaults.create" })
    .input(createVaultInput)
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      createVault(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),

  disable: retireProcedure("DISABLED", "vaults.disable"),
  delete: retireProcedure("DELETED", "vaults.delete"),
});
