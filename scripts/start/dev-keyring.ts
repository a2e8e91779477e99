import { existsSync } from "node:fs";
import path from "node:path";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { assertPrivateFile, writePrivateFile } from "./private-files";

/** The development JWT signing keyring, created once; returns its file path. */
export async function ensureDevKeyring(secretsDir: string): Promise<string> {
  const file = path.join(secretsDir, "jwt_keyring.json");
  if (!existsSync(file)) writePrivateFile(file, serializeKeyring(await createKeyring(new Date())));
  assertPrivateFile(file);
  return file;
}
