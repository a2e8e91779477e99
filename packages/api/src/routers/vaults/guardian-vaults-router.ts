import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { vaultOutput } from "../../schemas/identity-output-schemas";
import { getVault } from "../../services/vaults/get-vault";
import { listMemberVaults } from "../../services/vaults/list-member-vaults";
import { requireSessionPrincipal } from "../../rbac/require-session-principal";
import { permissionProcedure, router, vaultProcedure } from "../../trpc";

export const guardianVaultsRouter = router({
  list: permissionProcedure("vault.member.read")
    .output(z.array(vaultOutput))
    .query(({ ctx }) =>
      listMemberVaults(ctx.deps, requireSessionPrincipal(ctx.principal).subjectId),
    ),

  get: vaultProcedure("vault.member.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultOutput)
    .query(({ ctx, input }) => getVault(ctx.deps, input.vaultId)),
});
