import type { LimitName } from "./abuse-config";

/** The per-IP limit of each public guardian procedure (counted in publicProcedure). */
export const publicLimitByPath: Readonly<Record<string, LimitName>> = {
  "auth.join": "join",
  "auth.issueJoinChallenge": "joinChallenge",
  "auth.issueChallenge": "challenge",
  "auth.login": "login",
  "auth.refresh": "refresh",
};
