import { router } from "../../trpc";
import { authRouter } from "../auth/auth-router";
import { guardianEventsRouter } from "../guardian-events/guardian-events-router";
import { guardianTransactionsRouter } from "../guardian-transactions/guardian-transactions-router";
import { keygenRouter } from "../keygen/keygen-router";
import { signingRouter } from "../signing/signing-router";
import { guardianVaultsRouter } from "../guardian-vaults/guardian-vaults-router";
import { sessionsRouter } from "../sessions/sessions-router";

// What the ws-server serves to guardians (WSS, and HTTPS for join/login/refresh).
// No admin procedure is reachable from here.
export const guardianRoot = router({
  auth: authRouter,
  sessions: sessionsRouter,
  vaults: guardianVaultsRouter,
  keygen: keygenRouter,
  transactions: guardianTransactionsRouter,
  signing: signingRouter,
  events: guardianEventsRouter,
});

export type GuardianRouter = typeof guardianRoot;
