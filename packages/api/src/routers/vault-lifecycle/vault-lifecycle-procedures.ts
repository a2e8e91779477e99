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
import { z } from "zod";
import { createVault } from "../../services/vaults-lifecycle/create-vault";
import { retireVault } from "../../services/vaults-lifecycle/retire-vault";
import { loadVaultDetail } from "../../services/vaults-lifecycle/vault-detail-view";
import { freshCredentialsVaultProcedure, permissionProcedure, vaultProcedure } from "../../trpc";
import { adminActor } from "../../rbac/principal";

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

// Admin vault lifecycle, merged into admin.vaults next to list/get.
export const vaultLifecycleProcedures = {
  create: permissionProcedure("vault.write", { recordDenials: "vaults.create" })
    .input(createVaultInput)
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      createVault(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),

  detail: vaultProcedure("vault.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultDetailOutput)
    .query(({ ctx, input }) => loadVaultDetail(ctx.deps.prisma, input.vaultId)),

  disable: retireProcedure("DISABLED", "vaults.disable"),
  delete: retireProcedure("DELETED", "vaults.delete"),
};
