import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { isoDate, userOutput } from "../../schemas/identity-output-schemas";
import { actorOf } from "../../rbac/principal";
import { listUsers } from "../../services/users/list-users";
import { createConsoleUser, disableConsoleUser } from "../../services/users/manage-console-users";
import { permissionProcedure, router } from "../../trpc";

// Console accounts. Reading is open to the `users:read` API-key scope; no scope grants
// `user.write`, so creating and disabling stay with signed-in admins.
export const usersRouter = router({
  list: permissionProcedure("user.read")
    .output(z.array(userOutput))
    .query(({ ctx }) => listUsers(ctx.deps)),

  create: permissionProcedure("user.write")
    .input(z.strictObject({ email: z.email().max(254), role: z.enum(["ADMIN", "VIEWER"]) }))
    .output(
      z.strictObject({
        id: z.uuid(),
        email: z.string(),
        role: z.enum(["ADMIN", "VIEWER"]),
        oneTimePassword: z.string(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createConsoleUser(ctx.deps, ctx.request, actorOf(ctx.principal), input),
    ),

  disable: permissionProcedure("user.write")
    .input(z.strictObject({ userId: entityId }))
    .output(z.strictObject({ id: z.uuid(), disabledAt: isoDate }))
    .mutation(({ ctx, input }) =>
      disableConsoleUser(ctx.deps, ctx.request, actorOf(ctx.principal), input),
    ),
});
