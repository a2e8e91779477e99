import { router } from "../../trpc";
import { authRouter } from "../auth/auth-router";
import { guardianVaultsRouter } from "../guardian-vaults/guardian-vaults-router";
import { sessionsRouter } from "../sessions/sessions-router";

// What the ws-server serves to guardians (WSS, and HTTPS for join/login/refresh).
// No admin procedure is reachable from here.
export const guardianRoot = router({
  auth: authRouter,
  sessions: sessionsRouter,
  vaults: guardianVaultsRouter,
});

export type GuardianRouter = typeof guardianRoot;
