import { API_KEY_PREFIX_TAG } from "@conclave/auth/random-secret";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { Credentials, FrontDoor, RequestMeta, Transport } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import type { Principal } from "../../rbac/principal";
import { authenticateApiKey } from "../api-keys/authenticate-api-key";
import { requireLiveSession } from "../sessions/require-live-session";
import { verifyAccess } from "./verify-access";
import { subjectRole } from "./subject-role";

export type AuthenticationRequest = RequestMeta & { frontDoor: FrontDoor; transport: Transport };

// Runs on every call (HTTP request or WSS message): the token is verified and its
// session consulted each time, so revocation and disabling take effect at once.
// Returns null when no credentials were presented.
export async function authenticate(
  deps: ApiDependencies,
  request: AuthenticationRequest,
  credentials: Credentials,
): Promise<Principal | null> {
  switch (credentials.kind) {
    case "none":
      return null;
    case "consoleSession": {
      if (request.frontDoor !== "console") throw new AuthenticationError("wrong_front_door");
      const session = await requireLiveSession(deps, request, credentials.sessionId);
      if (session.subjectType !== "USER" || session.subjectId !== credentials.userId) {
        throw new AuthenticationError("session_mismatch");
      }
      const role = await subjectRole(deps, session.subjectType, session.subjectId);
      return { kind: "session", ...subjectOf(session), role, accessTokenExpiresAt: null };
    }
    case "bearer": {
      if (credentials.token.startsWith(API_KEY_PREFIX_TAG)) {
        return authenticateApiKey(deps, request, credentials.token);
      }
      const claims = await verifyAccess(deps, request.frontDoor, credentials.token);
      const session = await requireLiveSession(deps, request, claims.sessionId);
      if (session.subjectId !== claims.subject) throw new AuthenticationError("session_mismatch");
      const role = await subjectRole(deps, session.subjectType, session.subjectId);
      return {
        kind: "session",
        ...subjectOf(session),
        role,
        accessTokenExpiresAt: claims.expiresAt,
      };
    }
  }
}

function subjectOf(session: { id: string; subjectType: "USER" | "GUARDIAN"; subjectId: string }) {
  return { sessionId: session.id, subjectType: session.subjectType, subjectId: session.subjectId };
}
