import { z } from "zod";
import { displayText, entityId } from "../../schemas/identity-input-schemas";
import { apiKeyOutput, apiKeyScopeSchema, isoDate } from "../../schemas/identity-output-schemas";
import { createApiKey } from "../../services/api-keys/create-api-key";
import { listApiKeys } from "../../services/api-keys/list-api-keys";
import { revokeApiKey } from "../../services/api-keys/revoke-api-key";
import { permissionProcedure, router } from "../../trpc";
import { adminActor } from "../../rbac/principal";

export const apiKeysRouter = router({
  create: permissionProcedure("apiKey.write")
    .input(
      z.strictObject({
        name: displayText(100),
        scopes: z.array(apiKeyScopeSchema).min(1).max(16),
        expiresInDays: z.number().int().min(1).max(365),
      }),
    )
    .output(
      z.strictObject({
        id: z.uuid(),
        name: z.string(),
        prefix: z.string(),
        scopes: z.array(apiKeyScopeSchema),
        expiresAt: isoDate,
        key: z.string(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createApiKey(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),

  list: permissionProcedure("apiKey.read")
    .output(z.array(apiKeyOutput))
    .query(({ ctx }) => listApiKeys(ctx.deps)),

  revoke: permissionProcedure("apiKey.write")
    .input(z.strictObject({ apiKeyId: entityId }))
    .output(z.strictObject({ id: z.uuid(), revokedAt: isoDate }))
    .mutation(({ ctx, input }) =>
      revokeApiKey(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),
});
