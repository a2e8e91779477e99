import { PermissionError } from "../errors/permission-error";
import type { Principal, SessionPrincipal } from "./principal";

// For permissions no API-key scope grants: narrows the type, and fails closed if the
// permission table ever changes underneath.
export function requireSessionPrincipal(principal: Principal): SessionPrincipal {
  if (principal.kind !== "session") throw new PermissionError("session_required");
  return principal;
}
