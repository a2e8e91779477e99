import { z } from "zod";
import { vaultDetailOutput } from "../../schemas/coordination-schemas";
import { entityId } from "../../schemas/identity-input-schemas";
import { confirmFreshCredentials } from "../../services/console-auth/confirm-fresh-credentials";
import { retireVault } from "../../services/vaults-lifecycle/retire-vault";
import { router, vaultProcedure } from "../../trpc";
import { adminActor } from "../../rbac/principal";

const retireInput = z
  .strictObject({
    vaultId: entityId,
    confirmName: z.string().min(1).max(512),
    password: z.string().min(1).max(1024).optional(),
    totpCode: z
      .string()
      .regex(/^\d{6}$/, "Enter the 6-digit code")
      .optional(),
  })
  .refine((value) => value.password !== undefined || value.totpCode !== undefined, {
    message: "Enter your password or an authentication code",
    path: ["password"],
  });

function retireFields(input: { vaultId: string; confirmName: string }) {
  return { vaultId: input.vaultId, confirmName: input.confirmName };
}

// Disabling and deleting differ only in the status they leave the vault in.
function retireProcedure(status: "DISABLED" | "DELETED") {
  return vaultProcedure("vault.write")
    .input(retireInput)
    .output(vaultDetailOutput)
    .mutation(async ({ ctx, input }) => {
      await confirmFreshCredentials(ctx.deps, ctx.request, ctx.principal, input);
      return retireVault(
        ctx.deps,
        ctx.request,
        adminActor(ctx.principal),
        retireFields(input),
        status,
      );
    });
}

// The console's way to disable or delete a vault: the admin.vaults procedures plus a
// re-authentication in the same request. apps/web refuses the bare admin.vaults
// disable/delete for cookie sessions, so in the browser only these reach them.
export const consoleVaultsRouter = router({
  disable: retireProcedure("DISABLED"),
  delete: retireProcedure("DELETED"),
});
