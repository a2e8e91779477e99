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

export function actorOf(principal: Principal): {
  actorType: "USER" | "GUARDIAN" | "API_KEY";
  actorId: string;
} {
  return principal.kind === "apiKey"
    ? { actorType: "API_KEY", actorId: principal.apiKeyId }
    : { actorType: principal.subjectType, actorId: principal.subjectId };
}
