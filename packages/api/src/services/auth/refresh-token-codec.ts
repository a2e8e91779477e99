import { createHmac } from "node:crypto";
import { pepperedHash } from "@conclave/auth/peppered-hash";
import { generateRefreshToken } from "@conclave/auth/random-secret";

// Refresh token wire format: `<sessionId>.<43 base64url chars>` (256 bits). The
// session id names the token family (one session = one family), so a spent token
// can be traced to the family it must kill.
//
// Successors are derived, not drawn: successor = HMAC(pepper, domain || token).
// That lets the grace window hand a concurrent duplicate refresh the very same
// successor without ever storing a token in the clear, and lets reuse detection
// prove a presented token really is an ancestor of the live one (walking the chain
// forward) before it kills a family, so a guessed session id alone cannot.
const tokenPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/;
const successorDomain = "conclave-refresh-successor-v1\0";

export function refreshTokenSessionId(token: string): string | null {
  return tokenPattern.exec(token)?.[1] ?? null;
}

export function newRefreshToken(sessionId: string): string {
  return `${sessionId}.${generateRefreshToken()}`;
}

export function hashRefreshToken(pepper: string, token: string): string {
  return pepperedHash(pepper, "refresh-token", token);
}

export function successorOf(pepper: string, token: string): string {
  const sessionId = token.slice(0, token.indexOf("."));
  const secret = createHmac("sha256", pepper)
    .update(successorDomain)
    .update(token)
    .digest("base64url");
  return `${sessionId}.${secret}`;
}
