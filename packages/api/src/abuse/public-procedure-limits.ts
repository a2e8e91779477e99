import type { LimitName } from "./abuse-config";

/** The per-IP limit of each public guardian procedure (counted in publicProcedure). */
export const publicLimitByPath: Readonly<Record<string, LimitName>> = {
  "auth.join": "join",
  // Join and login challenges share one per-IP budget: each is one step of a two-call flow.
  "auth.issueJoinChallenge": "challenge",
  "auth.issueChallenge": "challenge",
  "auth.login": "login",
  "auth.refresh": "refresh",
};
