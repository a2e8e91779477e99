import { z } from "zod";
import { filterDate, filterText } from "../../schemas/console-filter-schemas";
import { securityEventOutput } from "../../schemas/security-event-output";
import { listSecurityEvents } from "../../services/security-events/list-security-events";
import { permissionProcedure, router } from "../../trpc";

export const securityEventsRouter = router({
  list: permissionProcedure("securityEvent.read")
    .input(
      z.strictObject({
        kind: filterText.optional(),
        severity: z.enum(["INFO", "WARN", "CRITICAL"]).optional(),
        before: filterDate.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(
      z.strictObject({ items: z.array(securityEventOutput), nextBefore: z.string().nullable() }),
    )
    .query(({ ctx, input }) =>
      listSecurityEvents(ctx.deps, {
        ...input,
        before: input.before === undefined ? undefined : new Date(input.before),
      }),
    ),
});
