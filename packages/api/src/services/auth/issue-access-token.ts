import { signAccessToken } from "@conclave/auth/access-token";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { FrontDoor } from "../../context/request-facts";
import type { Role } from "../../rbac/permissions";

export type IssuedAccessToken = { accessToken: string; accessTokenExpiresAt: Date };

export async function issueAccessToken(
  deps: Pick<ApiDependencies, "keyring" | "config" | "clock">,
  input: { frontDoor: FrontDoor; subjectId: string; sessionId: string; role: Role },
): Promise<IssuedAccessToken> {
  const { token, claims } = await signAccessToken(
    deps.keyring,
    {
      iss: deps.config.issuer,
      aud: deps.config.audiences[input.frontDoor],
      sub: input.subjectId,
      sid: input.sessionId,
      role: input.role,
    },
    deps.clock.now(),
  );
  return { accessToken: token, accessTokenExpiresAt: new Date(claims.exp * 1000) };
}
