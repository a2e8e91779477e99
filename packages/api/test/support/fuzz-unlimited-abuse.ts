import { defaultAbuseConfig } from "../../src/abuse/abuse-config";
import type { AbuseConfigOverrides, LimitName } from "../../src/abuse/abuse-config";

// Every limit far out of reach: a refusal writes a rate_limit.* security event, which
// would be a state change caused by the fuzz volume, not by the procedure under test.
export const unlimitedAbuse: AbuseConfigOverrides = {
  limits: Object.fromEntries(
    (Object.keys(defaultAbuseConfig.limits) as LimitName[]).map((name) => [
      name,
      { max: 1_000_000_000 },
    ]),
  ),
};
