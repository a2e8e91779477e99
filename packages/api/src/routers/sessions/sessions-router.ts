import { z } from "zod";
import { entityId } from "../../schemas/identity-input-schemas";
import { sessionOutput } from "../../schemas/identity-output-schemas";
import { listSubjectSessions } from "../../services/sessions/list-subject-sessions";
import { revokeOwnSessions } from "../../services/sessions/revoke-own-sessions";
import { authenticatedProcedure, router } from "../../trpc";

const revokedOutput = z.strictObject({ revokedSessionIds: z.array(z.uuid()) });

// A signed-in subject's own sessions; shared by both front doors.
export const sessionsRouter = router({
  list: authenticatedProcedure.output(z.array(sessionOutput)).query(({ ctx }) =>
    listSubjectSessions(ctx.deps, {
      subjectType: ctx.principal.subjectType,
      subjectId: ctx.principal.subjectId,
      currentSessionId: ctx.principal.sessionId,
    }),
  ),

  revoke: authenticatedProcedure
    .input(z.strictObject({ sessionId: entityId }))
    .output(revokedOutput)
    .mutation(({ ctx, input }) =>
      revokeOwnSessions(ctx.deps, ctx.request, ctx.principal, {
        which: "one",
        sessionId: input.sessionId,
      }),
    ),

  revokeOthers: authenticatedProcedure
    .output(revokedOutput)
    .mutation(({ ctx }) =>
      revokeOwnSessions(ctx.deps, ctx.request, ctx.principal, { which: "others" }),
    ),
});
