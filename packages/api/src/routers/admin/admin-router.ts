import { router } from "../../trpc";
import { adminTransactionsRouter } from "../admin-transactions/admin-transactions-router";
import { adminSessionsRouter } from "../admin-sessions/admin-sessions-router";
import { apiKeysRouter } from "../api-keys/api-keys-router";
import { bansRouter } from "../bans/bans-router";
import { invitationsRouter } from "../invitations/invitations-router";
import { usersRouter } from "../users/users-router";
import { vaultsRouter } from "../vaults/vaults-router";

// The admin procedures: the only ones API keys can reach, and never mounted on the
// guardian front door.
export const adminRouter = router({
  invitations: invitationsRouter,
  sessions: adminSessionsRouter,
  apiKeys: apiKeysRouter,
  users: usersRouter,
  vaults: vaultsRouter,
  transactions: adminTransactionsRouter,
  bans: bansRouter,
});
