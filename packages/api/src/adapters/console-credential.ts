import { bearerCredentials } from "../context/request-facts";
import type { Credentials } from "../context/request-facts";

export type ConsoleSessionClaims = { sessionId: string; userId: string };

// The one credential a console request authenticates with, decided once per request
// by apps/web and used unchanged by the API: every rule of the route (same-origin,
// re-authentication) and of the procedures applies to this credential and no other.
// - "cookie": no Authorization header; the next-auth session cookie, if any (its
//   verified claims, or null when absent or invalid), is the credential.
// - "bearer": an Authorization header and no session cookie: an API key or a
//   console-audience access token.
// - "conflicting": both. Refused outright: honouring either would let the other
//   decide which rules apply.
export type ConsoleCredential =
  | { kind: "cookie"; session: ConsoleSessionClaims | null }
  | { kind: "bearer"; authorization: string }
  | { kind: "conflicting" };

export type ConsoleCredentialFacts = {
  /** The raw Authorization header, or null when the request has none (empty counts). */
  authorization: string | null;
  /** Whether any next-auth session cookie (or a chunk of one) came with the request. */
  hasSessionCookie: boolean;
  /** Verifies the session cookie; only called when the cookie is the credential. */
  verifySession: () => Promise<ConsoleSessionClaims | null>;
};

export async function decideConsoleCredential(
  facts: ConsoleCredentialFacts,
): Promise<ConsoleCredential> {
  if (facts.authorization === null) return { kind: "cookie", session: await facts.verifySession() };
  if (facts.hasSessionCookie) return { kind: "conflicting" };
  return { kind: "bearer", authorization: facts.authorization };
}

/** What the procedures authenticate with; a conflicting request never gets this far. */
export function credentialsOf(
  credential: Exclude<ConsoleCredential, { kind: "conflicting" }>,
): Credentials {
  if (credential.kind === "bearer") return bearerCredentials(credential.authorization);
  return credential.session ? { kind: "consoleSession", ...credential.session } : { kind: "none" };
}
