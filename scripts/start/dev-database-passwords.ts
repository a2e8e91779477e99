// The embedded cluster's passwords, generated once under .conclave/secrets (0600) like
// the other development secrets: the superuser, the owner that migrates and the app role.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { EmbeddedDatabasePasswords } from "@conclave/db/embedded/start-embedded-postgres";
import { assertPrivateFile, writePrivateFile } from "./private-files";

const files: Record<keyof EmbeddedDatabasePasswords, string> = {
  superuser: "db_superuser_password",
  owner: "db_owner_password",
  app: "db_app_password",
};

function ensurePassword(file: string): string {
  if (!existsSync(file))
    writePrivateFile(file, `conclave-dev-${randomBytes(24).toString("base64url")}`);
  assertPrivateFile(file);
  return readFileSync(file, "utf8").trim();
}

export function ensureDevDatabasePasswords(secretsDir: string): EmbeddedDatabasePasswords {
  return {
    superuser: ensurePassword(path.join(secretsDir, files.superuser)),
    owner: ensurePassword(path.join(secretsDir, files.owner)),
    app: ensurePassword(path.join(secretsDir, files.app)),
  };
}
