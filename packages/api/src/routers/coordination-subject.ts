import type { Principal } from "../rbac/principal";

/** Who a coordination denial is recorded against. */
export function coordinationSubject(principal: Principal) {
  return principal.kind === "apiKey"
    ? { subjectType: "API_KEY" as const, subjectId: principal.apiKeyId }
    : { subjectType: principal.subjectType, subjectId: principal.subjectId };
}
