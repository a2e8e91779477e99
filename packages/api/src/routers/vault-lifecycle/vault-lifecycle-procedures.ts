import {
  createVaultInput,
  retireVaultInput,
  vaultDetailOutput,
} from "../../schemas/coordination-schemas";
import { entityId } from "../../schemas/identity-input-schemas";
import { z } from "zod";
import { recordCoordinationDenials } from "../../services/coordination/record-coordination-denials";
import { createVault } from "../../services/vaults-lifecycle/create-vault";
import { retireVault } from "../../services/vaults-lifecycle/retire-vault";
import { loadVaultDetail } from "../../services/vaults-lifecycle/vault-detail-view";
import { permissionProcedure, vaultProcedure } from "../../trpc";
import { adminActor } from "../../rbac/principal";

// Admin vault lifecycle, merged into admin.vaults next to list/get.
export const vaultLifecycleProcedures = {
  create: permissionProcedure("vault.write")
    .input(createVaultInput)
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      recordCoordinationDenials(ctx.deps, ctx.request, ctx.principal, "vaults.create", () =>
        createVault(ctx.deps, ctx.request, adminActor(ctx.principal), input),
      ),
    ),

  detail: vaultProcedure("vault.read")
    .input(z.strictObject({ vaultId: entityId }))
    .output(vaultDetailOutput)
    .query(({ ctx, input }) => loadVaultDetail(ctx.deps.prisma, input.vaultId)),

  disable: vaultProcedure("vault.write")
    .input(retireVaultInput)
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      recordCoordinationDenials(ctx.deps, ctx.request, ctx.principal, "vaults.disable", () =>
        retireVault(ctx.deps, ctx.request, adminActor(ctx.principal), input, "DISABLED"),
      ),
    ),

  delete: vaultProcedure("vault.write")
    .input(retireVaultInput)
    .output(vaultDetailOutput)
    .mutation(({ ctx, input }) =>
      recordCoordinationDenials(ctx.deps, ctx.request, ctx.principal, "vaults.delete", () =>
        retireVault(ctx.deps, ctx.request, adminActor(ctx.principal), input, "DELETED"),
      ),
    ),
};
