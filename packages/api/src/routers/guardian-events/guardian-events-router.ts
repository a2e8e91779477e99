import { tracked } from "@trpc/server";
import { guardianEventOutput, subscribeEventsInput } from "../../schemas/coordination-schemas";
import { requireSessionPrincipal } from "../../rbac/require-session-principal";
import { streamGuardianEvents } from "../../services/events/stream-guardian-events";
import { permissionProcedure, router } from "../../trpc";

export const guardianEventsRouter = router({
  /**
   * The caller's own events, replayed from the persisted log after `lastEventId` and
   * then live. Each is `tracked` with its log id, so the tRPC client sends the last id
   * back on reconnect and resumes without gaps, across server restarts too.
   * (Subscriptions take no `.output()`: each event is parsed here instead.)
   */
  subscribe: permissionProcedure("event.own.read")
    .input(subscribeEventsInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const guardianId = requireSessionPrincipal(ctx.principal).subjectId;
      const after = BigInt(input.lastEventId ?? "0");
      for await (const event of streamGuardianEvents(ctx.deps, guardianId, after, signal)) {
        yield tracked(event.id, guardianEventOutput.parse(event));
      }
    }),
});
