import { router } from "../../trpc";
import { adminRouter } from "../admin/admin-router";
import { consoleOpsRouter } from "../console-ops/console-ops-router";
import { sessionsRouter } from "../sessions/sessions-router";
import { logoutProcedure } from "../auth/logout-procedure";

// What apps/web serves at /api/trpc.
export const consoleRoot = router({
  sessions: sessionsRouter,
  logout: logoutProcedure,
  admin: adminRouter,
  console: consoleOpsRouter,
});

export type ConsoleRouter = typeof consoleRoot;
