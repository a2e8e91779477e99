import type { Principal } from "../../rbac/principal";
import { actorOf } from "../../rbac/principal";

// Rows created through an API key are attributed to the admin who created the key,
// while the audit actor stays the key itself.
export function adminActor(principal: Principal) {
  return {
    ...actorOf(principal),
    createdById: principal.kind === "apiKey" ? principal.createdById : principal.subjectId,
  };
}
