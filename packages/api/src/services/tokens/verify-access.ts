import { TokenError, verifyAccessToken } from "@conclave/auth/access-token";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { FrontDoor } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";

export type VerifiedAccess = { subject: string; sessionId: string; expiresAt: Date };

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
    if (error instanceof TokenError) throw new AuthenticationError(error.code.toLowerCase());
    throw error;
  }
}
