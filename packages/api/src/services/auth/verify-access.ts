import { TokenError, verifyAccessToken, type TokenErrorCode } from "@conclave/auth/access-token";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { FrontDoor } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";

export type VerifiedAccess = { subject: string; sessionId: string; expiresAt: Date };

const reasonOf = (code: TokenErrorCode): string => code.toLowerCase();

// Verification failures no token this server issued for this door can produce: junk,
// forgeries, another door's tokens, keys long retired. Expired and not-yet-valid tokens
// are not among them (an honest client's clock or a token it has not refreshed yet).
const FORGED_TOKEN_REASONS: ReadonlySet<string> = new Set(
  (
    [
      "TOKEN_MALFORMED",
      "TOKEN_ALGORITHM_NOT_ALLOWED",
      "TOKEN_WRONG_TYPE",
      "TOKEN_UNKNOWN_KEY",
      "TOKEN_BAD_SIGNATURE",
      "TOKEN_WRONG_ISSUER",
      "TOKEN_WRONG_AUDIENCE",
      "TOKEN_INVALID_CLAIMS",
    ] satisfies TokenErrorCode[]
  ).map(reasonOf),
);

/** Whether an access token was refused as one this server never issued (a guess). */
export function isForgedAccessToken(error: unknown): boolean {
  return error instanceof AuthenticationError && FORGED_TOKEN_REASONS.has(error.reason);
}

// Each front door accepts only tokens minted for its own audience.
export async function verifyAccess(
  deps: ApiDependencies,
  frontDoor: FrontDoor,
  token: string,
): Promise<VerifiedAccess> {
  try {
    const claims = await verifyAccessToken(deps.keyring, token, {
      iss: deps.config.issuer,
      aud: deps.config.audiences[frontDoor],
      now: deps.clock.now(),
    });
    return { subject: claims.sub, sessionId: claims.sid, expiresAt: new Date(claims.exp * 1000) };
  } catch (error) {
    if (error instanceof TokenError) throw new AuthenticationError(reasonOf(error.code));
    throw error;
  }
}
