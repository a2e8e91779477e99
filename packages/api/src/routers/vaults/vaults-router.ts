import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { vaultOutput } from "../../schemas/identity-output-schemas";
import { getVault } from "../../services/vaults/get-vault";
import { listVaults } from "../../services/vaults/list-vaults";
import { permissionProcedure, router, vaultProcedure } from "../../trpc";
import { vaultLifecycleProcedures } from "../vault-lifecycle/vault-lifecycle-procedures";

// Console read access to every vault; the lifecycle arrives with the coordination work.
export const vaultsRouter = router({
  ...vaultLifecycleProcedures,
  list: permissionProcedure("vault.read")
    .output(z.array(vaultOutput))
    .query(({ ctx }) => listVaults(ctx.deps)),

  get: vaultProcedure("vault.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultOutput)
    .query(({ ctx, input }) => getVault(ctx.deps, input.vaultId)),
});
