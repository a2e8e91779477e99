import { router } from "../trpc";
import { authRouter } from "./auth/auth-router";
import { eventsRouter } from "./events/events-router";
import { guardianTransactionsRouter } from "./transactions/guardian-transactions-router";
import { keygenRouter } from "./keygen/keygen-router";
import { signingRouter } from "./signing/signing-router";
import { guardianVaultsRouter } from "./vaults/guardian-vaults-router";
import { sessionsRouter } from "./sessions/sessions-router";

// What the ws-server serves to guardians (WSS, and HTTPS for join/login/refresh).
// No admin procedure is reachable from here.
export const guardianRoot = router({
  auth: authRouter,
  sessions: sessionsRouter,
  vaults: guardianVaultsRouter,
  keygen: keygenRouter,
  transactions: guardianTransactionsRouter,
  signing: signingRouter,
  events: eventsRouter,
});

export type GuardianRouter = typeof guardianRoot;
