import type { ApiKeyScope, Role } from "./permissions";

export type SubjectType = "USER" | "GUARDIAN";

// Who is calling, as established by authenticate() for one call.
export type SessionPrincipal = {
  kind: "session";
  subjectType: SubjectType;
  subjectId: string;
  role: Role;
  sessionId: string;
  accessTokenExpiresAt: Date | null;
};

export type ApiKeyPrincipal = {
  kind: "apiKey";
  apiKeyId: string;
  createdById: string;
  role: "ADMIN";
  scopes: readonly ApiKeyScope[];
};

export type Principal = SessionPrincipal | ApiKeyPrincipal;

export type PrincipalActor = { actorType: "USER" | "GUARDIAN" | "API_KEY"; actorId: string };

// The one mapping from a principal to who audit rows and security events name.
export function actorOf(principal: Principal): PrincipalActor {
  return principal.kind === "apiKey"
    ? { actorType: "API_KEY", actorId: principal.apiKeyId }
    : { actorType: principal.subjectType, actorId: principal.subjectId };
}

// Rows created through an API key are attributed to the admin who created the key,
// while the audit actor stays the key itself.
export function adminActor(principal: Principal): PrincipalActor & { createdById: string } {
  return {
    ...actorOf(principal),
    createdById: principal.kind === "apiKey" ? principal.createdById : principal.subjectId,
  };
}
