import { tracked } from "@trpc/server";
import { AuthenticationError } from "../../errors/authentication-error";
import { toTrpcError } from "../../errors/to-trpc-error";
import { recordDenial } from "../../rbac/record-denial";
import { guardianEventOutput, subscribeEventsInput } from "../../schemas/coordination-schemas";
import { requireSessionPrincipal } from "../../rbac/require-session-principal";
import { streamGuardianEvents } from "../../services/events/stream-guardian-events";
import { requireLiveSession } from "../../services/sessions/require-live-session";
import { permissionProcedure, router } from "../../trpc";

export const eventsRouter = router({
  /**
   * The caller's own events, replayed from the persisted log after `lastEventId` and
   * then live. Each is `tracked` with its log id, so the tRPC client sends the last id
   * back on reconnect and resumes without gaps, across server restarts too.
   * (Subscriptions take no `.output()`: each event is parsed here instead.)
   * The session is re-checked as events are delivered; when it is gone the
   * subscription ends with UNAUTHORIZED (errors thrown while streaming bypass the
   * procedure middleware, so the denial is recorded and mapped here).
   */
  subscribe: permissionProcedure("event.own.read")
    .input(subscribeEventsInput)
    .subscription(async function* ({ ctx, input, path, signal }) {
      const principal = requireSessionPrincipal(ctx.principal);
      const after = BigInt(input.lastEventId ?? "0");
      const session = {
        sessionId: principal.sessionId,
        // Delivering an event is not activity of the guardian's: no touch.
        check: async () => {
          await requireLiveSession(ctx.deps, ctx.request, principal.sessionId, { touch: false });
        },
      };
      try {
        const events = streamGuardianEvents(ctx.deps, principal.subjectId, after, session, signal);
        for await (const event of events) {
          yield tracked(event.id, guardianEventOutput.parse(event));
        }
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        await recordDenial(ctx, { kind: "unauthenticated", reason: error.reason, principal, path });
        throw toTrpcError(error) ?? error;
      }
    }),
});
