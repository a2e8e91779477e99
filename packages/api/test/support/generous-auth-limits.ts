import type { AbuseConfigOverrides } from "../../src/abuse/abuse-config";

// For files that check joins and sign-ins, not the throttles: many calls from one address
// stay under every authentication limit and failure budget.
export const generousAuthLimits: AbuseConfigOverrides = {
  limits: {
    join: { max: 1000 },
    joinChallenge: { max: 1000 },
    challenge: { max: 1000 },
    login: { max: 1000 },
  },
  authFailures: { freeFailuresPerIdentifier: 1000, freeFailuresPerIp: 1000 },
};
