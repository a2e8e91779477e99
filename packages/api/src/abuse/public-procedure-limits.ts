import type { LimitName } from "./abuse-config";

/** The per-IP limit of each public guardian procedure (HTTPS front door). */
export const publicLimitByPath: Readonly<Record<string, LimitName>> = {
  "auth.join": "join",
  "auth.issueChallenge": "challenge",
  "auth.login": "login",
  "auth.refresh": "refresh",
};

/**
 * The limits one tRPC HTTP request must pass: a batch (`auth.login,auth.refresh`)
 * counts once per procedure, so batching buys no extra attempts.
 */
export function publicLimitsForPath(trpcPath: string): LimitName[] {
  return trpcPath.split(",").flatMap((path) => {
    const limit = publicLimitByPath[path];
    return limit === undefined ? [] : [limit];
  });
}
