import { z } from "zod";
import { securityEventOutput } from "../../schemas/security-event-output";
import { dashboardSummary } from "../../services/dashboard/dashboard-summary";
import { permissionProcedure } from "../../trpc";

// The console's landing view; like every console-only view, no API-key scope reaches it.
export const dashboardProcedure = permissionProcedure("dashboard.read")
  .output(
    z.strictObject({
      vaultsByStatus: z.array(z.strictObject({ status: z.string(), count: z.number() })),
      guardians: z.number(),
      liveSessions: z.number(),
      openInvitations: z.number(),
      failedLoginsLastHour: z.number(),
      failedLoginsPerMinute: z.array(z.number()),
      signingLatencyPerMinute: z.array(z.number().nullable()),
      recentSecurityEvents: z.array(securityEventOutput),
    }),
  )
  .query(({ ctx }) => dashboardSummary(ctx.deps));
