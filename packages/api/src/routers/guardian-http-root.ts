import { router } from "../trpc";
import { authRouter } from "./auth/auth-router";

// The HTTPS part of the guardian front door: join, challenge login, refresh and
// logout, for clients that hold no valid access token yet. Everything else is WSS.
export const guardianHttpRoot = router({ auth: authRouter });

export type GuardianHttpRouter = typeof guardianHttpRoot;
