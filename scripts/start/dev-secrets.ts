// Development secrets, generated once under .conclave/secrets. Each carries the
// `conclave-dev-` marker, which a production start refuses outright.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { assertPrivateFile, writePrivateFile } from "./private-files";

export const devSecretNames = [
  "INVITE_CODE_PEPPER",
  "API_KEY_PEPPER",
  "REFRESH_TOKEN_PEPPER",
  "LOG_HMAC_KEY",
  "NEXTAUTH_SECRET",
  "DATA_ENCRYPTION_KEY",
] as const;

/** Returns `NAME_FILE` variables pointing at each secret file. */
export function ensureDevSecrets(secretsDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of devSecretNames) {
    const file = path.join(secretsDir, name.toLowerCase());
    if (!existsSync(file))
      writePrivateFile(file, `conclave-dev-${randomBytes(32).toString("base64url")}`);
    assertPrivateFile(file);
    env[`${name}_FILE`] = file;
  }
  return env;
}
