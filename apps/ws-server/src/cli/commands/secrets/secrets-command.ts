import { parseArgs } from "node:util";
import { loadConfig } from "@conclave/config/load-config";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { readIdentityFile } from "../backup/age-streams";
import {
  backupDatabaseConfig,
  backupRecipientsConfig,
  backupSigningKeyConfig,
  trustedSigningKeyConfig,
} from "../backup/backup-config";
import type { CommandIo } from "../backup/backup-command";
import { manifestPathOf } from "../backup/backup-manifest";
import { backupSecrets } from "./secrets-backup";
import { restoreSecrets } from "./secrets-restore";

export const SECRETS_USAGE = `  secrets backup --out DIR
                 peppers, JWT keyring, log HMAC key, NEXTAUTH_SECRET and the backup
                 signing key, encrypted to SECRETS_BACKUP_RECIPIENTS (not BACKUP_RECIPIENTS)
  secrets restore FILE --identity ID_FILE --into DIR
                 check and decrypt a secrets backup into one 0600 file per secret`;

/** `npm run conclave -- secrets <subcommand>`; resolves to the exit code. */
export async function secretsCommand(io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = io.args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      into: { type: "string" },
      identity: { type: "string" },
      manifest: { type: "string" },
    },
  });
  if (subcommand === "backup") {
    const directory = values.out ?? process.env.SECRETS_BACKUP_DIR;
    if (directory === undefined) {
      io.printError("secrets backup needs --out DIR (or SECRETS_BACKUP_DIR)");
      return 2;
    }
    const config = loadConfig({
      database: backupDatabaseConfig,
      recipients: backupRecipientsConfig("SECRETS_BACKUP_RECIPIENTS"),
      signing: backupSigningKeyConfig,
    });
    const databaseRecipients =
      process.env.BACKUP_RECIPIENTS === undefined &&
      process.env.BACKUP_RECIPIENTS_FILE === undefined
        ? []
        : loadConfig({ recipients: backupRecipientsConfig("BACKUP_RECIPIENTS") }).recipients
            .recipients;
    const prisma = createPrismaClient({
      url: config.database.url,
      caFile: config.database.caFile,
      max: 1,
    });
    try {
      const result = await backupSecrets({
        prisma,
        env: process.env,
        recipients: config.recipients.recipients,
        databaseRecipients,
        signingKey: config.signing.key,
        directory,
        operator: io.operator,
      });
      io.print(
        `secrets backup written: ${result.file} (${result.manifest.content.kind === "secrets" ? result.manifest.content.secretNames.join(", ") : ""})`,
      );
      if (result.missing.length > 0)
        io.printError(`not set here, so not backed up: ${result.missing.join(", ")}`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  }
  if (subcommand === "restore") {
    const [file] = positionals;
    if (file === undefined || values.into === undefined || values.identity === undefined) {
      io.printError("usage: secrets restore FILE --identity ID_FILE --into DIR");
      return 2;
    }
    const { trusted } = loadConfig({ trusted: trustedSigningKeyConfig });
    const restored = await restoreSecrets({
      file,
      manifestFile: values.manifest ?? manifestPathOf(file),
      trustedPublicKeyHex: trusted.publicKeyHex,
      identities: readIdentityFile(values.identity),
      directory: values.into,
    });
    for (const secret of restored) io.print(`${secret.variable}=${secret.file}`);
    return 0;
  }
  io.printError(`usage:\n${SECRETS_USAGE}`);
  return 2;
}
