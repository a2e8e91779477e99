import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Decrypter } from "age-encryption";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import { AgeDecryptionError } from "../backup/age-streams";
import { BackupManifestError, readManifest } from "../backup/backup-manifest";
import { checkCiphertext } from "../backup/check-ciphertext";
import { secretsBundleSchema } from "./secrets-bundle";

export interface SecretsRestoreOptions {
  readonly file: string;
  readonly manifestFile: string;
  readonly trustedPublicKeyHex: string;
  readonly identities: readonly string[];
  /** Folder to write one 0600 file a secret into; existing files are never replaced. */
  readonly directory: string;
}

export interface RestoredSecret {
  readonly variable: string;
  readonly file: string;
}

/**
 * `secrets restore FILE --into DIR`: checks the signed manifest and digest, decrypts
 * with the secrets identity, and writes each secret to its own 0600 file, to be named by
 * NAME_FILE. Values are never printed.
 */
export async function restoreSecrets(options: SecretsRestoreOptions): Promise<RestoredSecret[]> {
  const manifest = await readManifest(options.manifestFile, options.trustedPublicKeyHex);
  if (manifest.content.kind !== "secrets") {
    throw new BackupManifestError(
      "this manifest describes a database backup: use `backup restore`",
    );
  }
  await checkCiphertext(options.file, manifest);
  const decrypter = new Decrypter();
  for (const identity of options.identities) decrypter.addIdentity(identity);
  let text: string;
  try {
    text = await decrypter.decrypt(await readFile(options.file), "text");
  } catch (error) {
    throw new AgeDecryptionError(
      `cannot decrypt: ${error instanceof Error ? error.message : "unreadable"}`,
    );
  }
  const bundle = secretsBundleSchema.parse(JSON.parse(text));
  const entries = Object.entries(bundle.secrets).map(([name, value]) => ({
    variable: `${name}_FILE`,
    file: path.join(options.directory, name.toLowerCase()),
    value,
  }));
  const existing = entries.filter((entry) => existsSync(entry.file)).map((entry) => entry.file);
  if (existing.length > 0) throw new Error(`refusing to overwrite ${existing.join(", ")}`);
  await mkdir(options.directory, { recursive: true, mode: 0o700 });
  for (const entry of entries) await writePrivateFileAtomically(entry.file, `${entry.value}\n`);
  return entries.map(({ variable, file }) => ({ variable, file }));
}
