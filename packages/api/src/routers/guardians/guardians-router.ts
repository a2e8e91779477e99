import { z } from "zod";
import { isoDate } from "../../schemas/identity-output-schemas";
import { listGuardians } from "../../services/guardians/list-guardians";
import { permissionProcedure, router } from "../../trpc";

// Guardians as the console sees them, across vaults (console only).
export const guardiansRouter = router({
  list: permissionProcedure("guardian.read")
    .output(
      z.array(
        z.strictObject({
          id: z.uuid(),
          displayName: z.string(),
          status: z.string(),
          identityPublicKey: z.string(),
          createdAt: isoDate,
          vaults: z.array(
            z.strictObject({
              vaultId: z.uuid(),
              name: z.string(),
              guardianIndex: z.number().int().nullable(),
            }),
          ),
          liveSessions: z.number().int(),
        }),
      ),
    )
    .query(({ ctx }) => listGuardians(ctx.deps)),
});
