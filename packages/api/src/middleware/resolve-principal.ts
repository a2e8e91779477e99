import type { ApiContext } from "../context/create-api-context";
import { AuthenticationError } from "../errors/authentication-error";
import type { Principal } from "../rbac/principal";
import { authenticate } from "../services/auth/authenticate";
import { recordDenial } from "./record-denial";

export async function resolvePrincipal(ctx: ApiContext, path: string): Promise<Principal> {
  try {
    const principal = await authenticate(ctx.deps, ctx.request, ctx.connection.credentials);
    if (principal) return principal;
    throw new AuthenticationError("missing_credentials");
  } catch (error) {
    if (error instanceof AuthenticationError) {
      await recordDenial(ctx, {
        kind: "unauthenticated",
        reason: error.reason,
        principal: null,
        path,
      });
    }
    throw error;
  }
}
