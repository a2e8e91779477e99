import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import { generateAgeKeyPair } from "./age-streams";
import { generateBackupSigningSeed, parseBackupSigningKey } from "./backup-signing-key";

export interface GeneratedBackupKeys {
  readonly signingKeyFile: string;
  readonly signingPublicKey: string;
  readonly backupIdentityFile: string;
  readonly backupRecipient: string;
  readonly secretsIdentityFile: string;
  readonly secretsRecipient: string;
}

/**
 * `backup keygen DIR`: a manifest signing key (stays on the server) and two age key
 * pairs, one for database backups and one for the secrets backup. The two identity
 * files are the only way to read the backups: move them off the server, to separate
 * offline places, and keep only the recipients (public) in the configuration.
 */
export async function generateBackupKeys(directory: string): Promise<GeneratedBackupKeys> {
  const files = {
    signingKeyFile: path.join(directory, "backup_signing_key"),
    backupIdentityFile: path.join(directory, "backup_identity.txt"),
    secretsIdentityFile: path.join(directory, "secrets_identity.txt"),
  };
  const existing = Object.values(files).filter((file) => existsSync(file));
  if (existing.length > 0) {
    throw new Error(`refusing to overwrite ${existing.join(", ")}`);
  }
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const seed = generateBackupSigningSeed();
  const backup = await generateAgeKeyPair();
  const secrets = await generateAgeKeyPair();
  await writePrivateFileAtomically(files.signingKeyFile, `${seed}\n`);
  await writePrivateFileAtomically(
    files.backupIdentityFile,
    `# Conclave database backups; recipient: ${backup.recipient}\n${backup.identity}\n`,
  );
  await writePrivateFileAtomically(
    files.secretsIdentityFile,
    `# Conclave secrets backup; recipient: ${secrets.recipient}\n${secrets.identity}\n`,
  );
  return {
    ...files,
    signingPublicKey: parseBackupSigningKey("BACKUP_SIGNING_KEY", seed).publicKeyHex,
    backupRecipient: backup.recipient,
    secretsRecipient: secrets.recipient,
  };
}
