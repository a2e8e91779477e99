import { z } from "zod";
import type { Env } from "@conclave/config/config-fragment";
import { readSecret } from "@conclave/config/read-secret";
import { SECRET_NAMES } from "@conclave/config/secrets-config";

/**
 * What the secrets backup holds: every secret whose loss breaks something that a
 * database restore cannot bring back (peppers: invitation codes, refresh tokens and API
 * keys stop matching; the JWT keyring: every session must sign in again; the log HMAC
 * key: old log correlations; the backup signing key: new manifests under a new key).
 * It is every name in packages/config's SECRET_NAMES, so a secret added there (issue
 * 13's key-encryption key for data keys) is backed up without a change here.
 */
export const BACKED_UP_SECRET_NAMES = [...SECRET_NAMES, "BACKUP_SIGNING_KEY"] as const;
export type BackedUpSecretName = (typeof BACKED_UP_SECRET_NAMES)[number];

export const secretsBundleSchema = z.strictObject({
  format: z.literal("conclave-secrets-v1"),
  createdAt: z.iso.datetime(),
  secrets: z.partialRecord(z.enum(BACKED_UP_SECRET_NAMES), z.string().min(1)),
});
export type SecretsBundle = z.infer<typeof secretsBundleSchema>;

/** Reads each secret from NAME or NAME_FILE (0600 checked); names the ones not set. */
export function collectSecrets(
  env: Env,
  createdAt: Date,
): { bundle: SecretsBundle; missing: BackedUpSecretName[] } {
  const secrets: SecretsBundle["secrets"] = {};
  const missing: BackedUpSecretName[] = [];
  for (const name of BACKED_UP_SECRET_NAMES) {
    const value = readSecret(env, name);
    if (value === undefined) missing.push(name);
    else secrets[name] = value;
  }
  return {
    bundle: { format: "conclave-secrets-v1", createdAt: createdAt.toISOString(), secrets },
    missing,
  };
}
