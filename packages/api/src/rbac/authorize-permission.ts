import type { ApiContext } from "../context/create-api-context";
import { PermissionError } from "../errors/permission-error";
import type { Permission } from "./permissions";
import { roleHasPermission, scopesGrantPermission } from "./permissions";
import type { Principal } from "./principal";
import { recordApiKeyDenial } from "../services/api-keys/record-api-key-denial";
import { recordDenial } from "./record-denial";

// `permission` null marks a session-only procedure (own sessions, logout): any
// signed-in subject may call it, an API key may not.
export async function authorizePermission(
  ctx: ApiContext,
  principal: Principal,
  permission: Permission | null,
  path: string,
): Promise<void> {
  const allowed =
    principal.kind === "session"
      ? permission === null || roleHasPermission(principal.role, permission)
      : permission !== null && scopesGrantPermission(principal.scopes, permission);
  if (allowed) return;
  const reason = principal.kind === "apiKey" ? "scope_missing" : "role_lacks_permission";
  if (principal.kind === "apiKey") {
    await recordApiKeyDenial(ctx.deps, ctx.request, {
      apiKeyId: principal.apiKeyId,
      prefix: null,
      reason,
      permission: permission ?? "session-only",
    });
  }
  await recordDenial(ctx, { kind: "forbidden", reason, principal, path });
  throw new PermissionError(reason);
}
