import type { RequestMeta } from "../context/request-facts";
import { actorOf, type Principal } from "../rbac/principal";
import type { RateLimitCheck, RateLimiter } from "./create-rate-limiter";
import type { RateLimitResult } from "./rate-limit-result";
import { RateLimitedError } from "./rate-limited-error";

/**
 * The per-call limit of an authenticated procedure: guardians share one budget per
 * guardian; console users and API keys get the admin budgets, reads apart from
 * writes, per principal (an API key does not share its creator's budget).
 */
export function callLimitFor(
  principal: Principal,
  type: "query" | "mutation" | "subscription",
  meta: RequestMeta,
): RateLimitCheck {
  if (principal.kind === "session" && principal.subjectType === "GUARDIAN") {
    return {
      name: "guardianCall",
      subject: [principal.subjectId],
      meta,
      eventSubject: { type: "GUARDIAN", id: principal.subjectId },
    };
  }
  const { actorType, actorId } = actorOf(principal);
  return {
    name: type === "mutation" ? "adminWrite" : "adminRead",
    subject: [actorType, actorId],
    meta,
    eventSubject: { type: actorType, id: actorId },
  };
}

/**
 * Checks `check` and throws RateLimitedError when refused (for tRPC middleware);
 * otherwise answers the decision.
 */
export async function enforceRateLimit(
  limiter: RateLimiter,
  check: RateLimitCheck,
): Promise<RateLimitResult> {
  const result = await limiter.check(check);
  if (!result.allowed) throw RateLimitedError.from(result);
  return result;
}
