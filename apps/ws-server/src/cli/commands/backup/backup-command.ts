import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { loadConfig } from "@conclave/config/load-config";
import { readSecret } from "@conclave/config/read-secret";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { readIdentityFile } from "./age-streams";
import {
  backupDatabaseConfig,
  backupDirectoryConfig,
  backupRecipientsConfig,
  backupSigningKeyConfig,
  postgresToolsConfig,
  trustedSigningKeyConfig,
} from "./backup-config";
import { manifestPathOf } from "./backup-manifest";
import { type BackupTarget, createBackup } from "./create-backup";
import { generateBackupKeys } from "./generate-backup-keys";
import { lastSuccessfulBackupAt } from "./last-successful-backup";
import { pruneBackups } from "./prune-backups";
import { restoreBackup } from "./restore-backup";
import { defaultRetentionPolicy } from "./retention-policy";
import { verifyBackup } from "./verify-backup";

export const BACKUP_USAGE = `  backup create [--stdout --manifest FILE]
                 pg_dump, encrypted to BACKUP_RECIPIENTS as it streams, into BACKUP_DIR
                 (or stdout), with a manifest signed by BACKUP_SIGNING_KEY
  backup verify FILE [--identity ID_FILE] [--manifest FILE]
                 check signature and digest, decrypt, list the archive; restores nothing
  backup restore FILE --into OWNER_URL [--identity ID_FILE] [--app-role conclave_app]
                 restore into an empty database, then check row counts, the audit chain
                 against the manifest's head, and the migrations
  backup prune [--dry-run] [--daily 7 --weekly 4 --monthly 12]
  backup last    time of the last successful database backup (exit 1 if none)
  backup keygen DIR
                 write a manifest signing key and two age identities (database, secrets)`;

export interface CommandIo {
  readonly args: readonly string[];
  readonly operator: string;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
  readonly stdout: Writable;
}

function identitiesFrom(flag: string | undefined): string[] {
  const file = flag ?? process.env.BACKUP_IDENTITY_FILE;
  if (file === undefined || file === "") {
    throw new Error("name the age identity file with --identity or BACKUP_IDENTITY_FILE");
  }
  return readIdentityFile(file);
}

function count(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number`);
  return parsed;
}

/** `npm run conclave -- backup <subcommand>`; resolves to the exit code. */
export async function backupCommand(io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = io.args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      stdout: { type: "boolean" },
      manifest: { type: "string" },
      identity: { type: "string" },
      into: { type: "string" },
      "app-role": { type: "string" },
      "dry-run": { type: "boolean" },
      daily: { type: "string" },
      weekly: { type: "string" },
      monthly: { type: "string" },
    },
  });
  const [file] = positionals;
  switch (subcommand) {
    case "create": {
      const toStdout = values.stdout === true;
      const manifestFile = values.manifest;
      if (toStdout && manifestFile === undefined) {
        io.printError("backup create --stdout needs --manifest FILE for the signed manifest");
        return 2;
      }
      const config = loadConfig({
        database: backupDatabaseConfig,
        recipients: backupRecipientsConfig("BACKUP_RECIPIENTS"),
        signing: backupSigningKeyConfig,
        tools: postgresToolsConfig,
      });
      const target: BackupTarget =
        toStdout && manifestFile !== undefined
          ? { kind: "stdout", stdout: io.stdout, manifestFile }
          : { kind: "directory", ...loadConfig({ at: backupDirectoryConfig }).at };
      const prisma = createPrismaClient({
        url: config.database.url,
        caFile: config.database.caFile,
        max: 2,
      });
      try {
        const created = await createBackup({
          prisma,
          database: config.database,
          recipients: config.recipients.recipients,
          signingKey: config.signing.key,
          binDir: config.tools.binDir,
          target,
          operator: io.operator,
        });
        const content = created.manifest.content;
        const line = `backup written: ${created.file ?? "(stdout)"} sha256 ${created.manifest.ciphertext.sha256} manifest ${created.manifestFile}${content.kind === "database" ? ` audit head ${content.auditHead?.seq ?? "(empty)"}` : ""}`;
        if (toStdout) io.printError(line);
        else io.print(line);
        return 0;
      } finally {
        await prisma.$disconnect();
      }
    }
    case "verify":
    case "restore": {
      if (file === undefined) {
        io.printError(`backup ${subcommand} needs the backup FILE`);
        return 2;
      }
      const config = loadConfig({ trusted: trustedSigningKeyConfig, tools: postgresToolsConfig });
      const identities = identitiesFrom(values.identity);
      const manifestFile = values.manifest ?? manifestPathOf(file);
      if (subcommand === "verify") {
        const verified = await verifyBackup({
          file,
          manifestFile,
          trustedPublicKeyHex: config.trusted.publicKeyHex,
          identities,
          binDir: config.tools.binDir,
        });
        const content = verified.databaseManifest;
        io.print(`backup OK: signed manifest, sha256 ${verified.manifest.ciphertext.sha256}`);
        io.print(
          `  created ${verified.manifest.createdAt}, migration ${content.migration}, audit head ${content.auditHead?.seq ?? "(empty)"}`,
        );
        io.print(`  archive: ${verified.archiveEntries.length} entries (pg_restore --list)`);
        return 0;
      }
      const targetUrl = values.into ?? readSecret(process.env, "RESTORE_DATABASE_URL");
      if (targetUrl === undefined) {
        io.printError("backup restore needs --into OWNER_URL (or RESTORE_DATABASE_URL[_FILE])");
        return 2;
      }
      const restored = await restoreBackup({
        file,
        manifestFile,
        trustedPublicKeyHex: config.trusted.publicKeyHex,
        identities,
        binDir: config.tools.binDir,
        targetUrl,
        caFile: process.env.DATABASE_CA_FILE,
        appRole: values["app-role"] ?? "conclave_app",
        operator: io.operator,
        log: io.print,
      });
      io.print(
        `restore OK: ${restored.rows} rows, audit chain of ${restored.auditRows} rows verified`,
      );
      return 0;
    }
    case "prune": {
      const { directory } = loadConfig({ directory: backupDirectoryConfig });
      const policy = {
        daily: count(values.daily, defaultRetentionPolicy.daily, "daily"),
        weekly: count(values.weekly, defaultRetentionPolicy.weekly, "weekly"),
        monthly: count(values.monthly, defaultRetentionPolicy.monthly, "monthly"),
      };
      const dryRun = values["dry-run"] === true;
      const result = await pruneBackups(directory.directory, policy, dryRun);
      for (const name of result.removed) io.print(`${dryRun ? "would remove" : "removed"} ${name}`);
      io.print(
        `kept ${result.kept.length} backup(s), ${dryRun ? "would remove" : "removed"} ${result.removed.length}`,
      );
      return 0;
    }
    case "last": {
      const { database } = loadConfig({ database: backupDatabaseConfig });
      const prisma = createPrismaClient({ url: database.url, caFile: database.caFile, max: 1 });
      try {
        const at = await lastSuccessfulBackupAt(prisma);
        io.print(at === null ? "no successful backup" : at.toISOString());
        return at === null ? 1 : 0;
      } finally {
        await prisma.$disconnect();
      }
    }
    case "keygen": {
      if (file === undefined) {
        io.printError("backup keygen needs the DIR to write the keys to");
        return 2;
      }
      const keys = await generateBackupKeys(file);
      io.print(`BACKUP_SIGNING_KEY_FILE=${keys.signingKeyFile}`);
      io.print(`BACKUP_SIGNING_PUBLIC_KEY=${keys.signingPublicKey}`);
      io.print(`BACKUP_RECIPIENTS=${keys.backupRecipient}`);
      io.print(`SECRETS_BACKUP_RECIPIENTS=${keys.secretsRecipient}`);
      io.print(
        `# move ${keys.backupIdentityFile} and ${keys.secretsIdentityFile} off this server, to two separate offline places`,
      );
      return 0;
    }
    default:
      io.printError(`usage:\n${BACKUP_USAGE}`);
      return 2;
  }
}
