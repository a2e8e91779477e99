import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { invitationOutput, isoDate } from "../../schemas/identity-output-schemas";
import { createInvitation } from "../../services/invitations/create-invitation";
import { listInvitations } from "../../services/invitations/list-invitations";
import { revokeInvitation } from "../../services/invitations/revoke-invitation";
import { permissionProcedure, router } from "../../trpc";
import { adminActor } from "../../rbac/principal";

const maxHours = 72;

export const invitationsRouter = router({
  create: permissionProcedure("invitation.write")
    .input(
      z.strictObject({
        vaultId: entityId,
        role: z.literal("GUARDIAN").default("GUARDIAN"),
        expiresInHours: z.number().int().min(1).max(maxHours).optional(),
      }),
    )
    .output(
      z.strictObject({
        id: z.uuid(),
        vaultId: z.uuid(),
        role: z.literal("GUARDIAN"),
        expiresAt: isoDate,
        code: z.string(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createInvitation(ctx.deps, ctx.request, adminActor(ctx.principal), {
        vaultId: input.vaultId,
        role: input.role,
        expiresInMs:
          input.expiresInHours === undefined ? undefined : input.expiresInHours * 3_600_000,
      }),
    ),

  list: permissionProcedure("invitation.read")
    .input(z.strictObject({ vaultId: entityId.optional() }))
    .output(z.array(invitationOutput))
    .query(({ ctx, input }) => listInvitations(ctx.deps, input)),

  revoke: permissionProcedure("invitation.write")
    .input(z.strictObject({ invitationId: entityId }))
    .output(z.strictObject({ id: z.uuid(), revokedAt: isoDate }))
    .mutation(({ ctx, input }) =>
      revokeInvitation(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),
});
