import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { sessionOutput } from "../../schemas/identity-output-schemas";
import { adminRevokeSession } from "../../services/sessions/admin-revoke-session";
import { listSubjectSessions } from "../../services/sessions/list-subject-sessions";
import { permissionProcedure, router } from "../../trpc";
import { adminActor } from "../../rbac/principal";

export const adminSessionsRouter = router({
  listForSubject: permissionProcedure("session.any.read")
    .input(z.strictObject({ subjectType: z.enum(["USER", "GUARDIAN"]), subjectId: entityId }))
    .output(z.array(sessionOutput))
    .query(({ ctx, input }) => listSubjectSessions(ctx.deps, { ...input, currentSessionId: null })),

  revoke: permissionProcedure("session.any.revoke")
    .input(z.strictObject({ sessionId: entityId }))
    .output(z.strictObject({ revoked: z.boolean() }))
    .mutation(({ ctx, input }) =>
      adminRevokeSession(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),
});
