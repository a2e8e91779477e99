import { verifyPepperedHash } from "@conclave/auth/peppered-hash";
import { parseApiKey } from "@conclave/auth/random-secret";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta, Transport } from "../../context/request-facts";
import { AuthenticationError } from "../../errors/authentication-error";
import type { ApiKeyScope } from "../../rbac/permissions";
import { apiKeyScopes } from "../../rbac/permissions";
import type { ApiKeyPrincipal } from "../../rbac/principal";
import { recordApiKeyDenial } from "./record-api-key-denial";

export async function authenticateApiKey(
  deps: ApiDependencies,
  meta: RequestMeta & { transport: Transport },
  presented: string,
): Promise<ApiKeyPrincipal> {
  const parts = parseApiKey(presented);
  const key = parts
    ? await deps.prisma.apiKey.findUnique({
        where: { prefix: parts.prefix },
        include: { createdBy: { select: { role: true, disabledAt: true } } },
      })
    : null;
  const now = deps.clock.now();
  const deny = async (reason: string): Promise<never> => {
    await recordApiKeyDenial(deps, meta, {
      apiKeyId: key?.id ?? null,
      prefix: parts?.prefix ?? null,
      reason,
    });
    throw new AuthenticationError(reason);
  };

  if (
    !parts ||
    !key ||
    !verifyPepperedHash(deps.peppers.apiKey, "api-key", parts.key, key.secretHmac)
  ) {
    return deny("api_key_invalid");
  }
  if (key.revokedAt) return deny("api_key_revoked");
  if (key.expiresAt <= now) return deny("api_key_expired");
  if (meta.transport !== "https") return deny("api_key_requires_https");
  if (key.createdBy.disabledAt || key.createdBy.role !== "ADMIN")
    return deny("api_key_owner_disabled");

  if (
    !key.lastUsedAt ||
    now.getTime() - key.lastUsedAt.getTime() >= deps.config.apiKeyLastUsedTouchMs
  ) {
    await deps.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  const known = new Set<string>(apiKeyScopes);
  return {
    kind: "apiKey",
    apiKeyId: key.id,
    createdById: key.createdById,
    role: "ADMIN",
    scopes: key.scopes.filter((scope): scope is ApiKeyScope => known.has(scope)),
  };
}
