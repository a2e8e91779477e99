import { pepperedHash } from "@conclave/auth/peppered-hash";
import { generateApiKey } from "@conclave/auth/random-secret";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import type { ApiKeyScope } from "../../rbac/permissions";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

const maxLifetimeMs = 365 * 24 * 60 * 60_000;

export type CreatedApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  expiresAt: Date;
  /** `ck_<id>_<secret>`, shown once; only its HMAC is stored. */
  key: string;
};

export async function createApiKey(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor & { createdById: string },
  input: { name: string; scopes: ApiKeyScope[]; expiresInDays: number },
): Promise<CreatedApiKey> {
  const now = deps.clock.now();
  const lifetimeMs = input.expiresInDays * 24 * 60 * 60_000;
  if (lifetimeMs <= 0 || lifetimeMs > maxLifetimeMs)
    throw new InvalidRequestError("api_key_lifetime_out_of_range");
  const scopes = [...new Set(input.scopes)];
  const generated = generateApiKey();
  return deps.prisma.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        prefix: generated.prefix,
        secretHmac: pepperedHash(deps.peppers.apiKey, "api-key", generated.key),
        scopes,
        expiresAt: new Date(now.getTime() + lifetimeMs),
        createdById: actor.createdById,
        createdAt: now,
      },
    });
    await recordAudit(tx, meta, {
      actor,
      action: "apikey.create",
      outcome: "SUCCESS",
      target: { type: "api_key", id: row.id },
      details: { prefix: row.prefix, scopes, expiresAt: row.expiresAt.toISOString() },
    });
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes,
      expiresAt: row.expiresAt,
      key: generated.key,
    };
  });
}
