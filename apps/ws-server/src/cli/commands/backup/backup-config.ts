import { readFileSync } from "node:fs";
import { Encrypter } from "age-encryption";
import type { ConfigFragment, FragmentContext } from "@conclave/config/config-fragment";
import { checkReadableFile } from "@conclave/config/file-checks";
import { readSecret } from "@conclave/config/read-secret";
import { describeSecretWeakness } from "@conclave/config/secret-strength";
import {
  type BackupSigningKey,
  parseBackupSigningKey,
  parseBackupSigningPublicKey,
} from "./backup-signing-key";

// Configuration of the backup and secrets commands, read like every other setting:
// secrets from NAME or NAME_FILE (0600), everything validated before any work starts.

export interface BackupDatabaseConfig {
  /** The owner role (DATABASE_MIGRATION_URL): pg_dump must read _prisma_migrations too. */
  readonly url: string;
  readonly caFile: string | undefined;
}

export const backupDatabaseConfig: ConfigFragment<BackupDatabaseConfig> = (context) => {
  const url = context.attempt(() => readSecret(context.env, "DATABASE_MIGRATION_URL"));
  const caFile = context.env.DATABASE_CA_FILE;
  if (caFile !== undefined) checkReadableFile(context, "DATABASE_CA_FILE", caFile);
  if (url === undefined) {
    context.report(
      "DATABASE_MIGRATION_URL",
      "is required: backups read every table as the owner role",
    );
    return undefined;
  }
  return { url, caFile };
};

function isAgeRecipient(value: string): boolean {
  try {
    new Encrypter().addRecipient(value);
    return true;
  } catch {
    return false;
  }
}

/** Public age recipients from NAME (comma or space separated) or NAME_FILE (one a line). */
function readRecipients(context: FragmentContext, name: string): string[] | undefined {
  const file = context.env[`${name}_FILE`];
  let text = context.env[name];
  if (file !== undefined) {
    if (!checkReadableFile(context, `${name}_FILE`, file)) return undefined;
    text = readFileSync(file, "utf8");
  }
  if (text === undefined) {
    context.report(name, `is required (set ${name} or ${name}_FILE to age recipients)`);
    return undefined;
  }
  const recipients = text
    .split(/\r?\n/u)
    .map((line) => line.replace(/#.*$/u, ""))
    .flatMap((line) => line.split(/[\s,]+/u))
    .filter((word) => word !== "");
  if (recipients.length === 0) {
    context.report(name, "names no age recipient");
    return undefined;
  }
  const invalid = recipients.filter((recipient) => !isAgeRecipient(recipient)).length;
  if (invalid > 0) {
    context.report(
      name,
      `has ${invalid} entr${invalid === 1 ? "y" : "ies"} that are not age recipients (age1...)`,
    );
    return undefined;
  }
  return [...new Set(recipients)];
}

export interface BackupRecipientsConfig {
  readonly recipients: readonly string[];
}

export function backupRecipientsConfig(name: string): ConfigFragment<BackupRecipientsConfig> {
  return (context) => {
    const recipients = readRecipients(context, name);
    return recipients === undefined ? undefined : { recipients };
  };
}

export interface SigningKeyConfig {
  readonly key: BackupSigningKey;
}

export const backupSigningKeyConfig: ConfigFragment<SigningKeyConfig> = (context) => {
  const value = context.attempt(() => readSecret(context.env, "BACKUP_SIGNING_KEY"));
  if (value === undefined) {
    if (context.env.BACKUP_SIGNING_KEY_FILE === undefined) {
      context.report("BACKUP_SIGNING_KEY", "is required (set BACKUP_SIGNING_KEY or _FILE)");
    }
    return undefined;
  }
  const weakness = context.isProduction ? describeSecretWeakness(value) : undefined;
  if (weakness !== undefined) {
    context.report("BACKUP_SIGNING_KEY", weakness);
    return undefined;
  }
  const key = context.attempt(() => parseBackupSigningKey("BACKUP_SIGNING_KEY", value));
  return key === undefined ? undefined : { key };
};

export interface TrustedSigningKeyConfig {
  readonly publicKeyHex: string;
}

/**
 * The key manifests must be signed with: BACKUP_SIGNING_PUBLIC_KEY, or derived from
 * BACKUP_SIGNING_KEY where the private key is at hand. Never taken from the manifest.
 */
export const trustedSigningKeyConfig: ConfigFragment<TrustedSigningKeyConfig> = (context) => {
  const explicit = context.env.BACKUP_SIGNING_PUBLIC_KEY;
  if (explicit !== undefined) {
    const publicKeyHex = context.attempt(() =>
      parseBackupSigningPublicKey("BACKUP_SIGNING_PUBLIC_KEY", explicit),
    );
    return publicKeyHex === undefined ? undefined : { publicKeyHex };
  }
  if (
    context.env.BACKUP_SIGNING_KEY === undefined &&
    context.env.BACKUP_SIGNING_KEY_FILE === undefined
  ) {
    context.report(
      "BACKUP_SIGNING_PUBLIC_KEY",
      "is required to check a manifest's signature (or BACKUP_SIGNING_KEY where it is kept)",
    );
    return undefined;
  }
  const signing = backupSigningKeyConfig(context);
  return signing === undefined ? undefined : { publicKeyHex: signing.key.publicKeyHex };
};

export interface BackupDirectoryConfig {
  readonly directory: string;
}

export const backupDirectoryConfig: ConfigFragment<BackupDirectoryConfig> = (context) => {
  const directory = context.env.BACKUP_DIR;
  if (directory === undefined) {
    context.report("BACKUP_DIR", "is required: the folder backups are written to");
    return undefined;
  }
  return { directory };
};

export interface PostgresToolsConfig {
  /** POSTGRES_BIN_DIR, or undefined to look in /usr/lib/postgresql/<major>/bin. */
  readonly binDir: string | undefined;
}

export const postgresToolsConfig: ConfigFragment<PostgresToolsConfig> = (context) => ({
  binDir: context.env.POSTGRES_BIN_DIR,
});
