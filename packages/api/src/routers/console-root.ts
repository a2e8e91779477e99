import { router } from "../trpc";
import { apiKeysRouter } from "./api-keys/api-keys-router";
import { auditRouter } from "./audit/audit-router";
import { bansRouter } from "./bans/bans-router";
import { dashboardProcedure } from "./dashboard/dashboard-procedure";
import { guardiansRouter } from "./guardians/guardians-router";
import { invitationsRouter } from "./invitations/invitations-router";
import { securityEventsRouter } from "./security-events/security-events-router";
import { adminSessionsRouter } from "./sessions/admin-sessions-router";
import { logoutProcedure } from "./sessions/logout-procedure";
import { sessionsRouter } from "./sessions/sessions-router";
import { adminTransactionsRouter } from "./transactions/admin-transactions-router";
import { usersRouter } from "./users/users-router";
import { adminVaultsRouter } from "./vaults/admin-vaults-router";

// What apps/web serves at /api/trpc. Each key is a domain, and its folder under
// routers/ and services/ has the same name (`securityEvents` -> security-events/).
// `admin.*` is what API keys can reach (with a scope that grants the permission);
// `console.*` is for signed-in console users only (no scope grants its permissions).
export const consoleRoot = router({
  sessions: sessionsRouter,
  logout: logoutProcedure,
  admin: router({
    invitations: invitationsRouter,
    sessions: adminSessionsRouter,
    apiKeys: apiKeysRouter,
    users: usersRouter,
    vaults: adminVaultsRouter,
    transactions: adminTransactionsRouter,
    bans: bansRouter,
  }),
  console: router({
    dashboard: dashboardProcedure,
    audit: auditRouter,
    guardians: guardiansRouter,
    securityEvents: securityEventsRouter,
  }),
});

export type ConsoleRouter = typeof consoleRoot;
