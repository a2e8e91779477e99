import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Encrypter } from "age-encryption";
import type { Env } from "@conclave/config/config-fragment";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { BackupSigningKey } from "../backup/backup-signing-key";
import {
  type BackupManifest,
  manifestPathOf,
  signManifest,
  writeManifest,
} from "../backup/backup-manifest";
import { finishBackupRun, startBackupRun } from "../backup/record-backup-run";
import { type BackedUpSecretName, collectSecrets } from "./secrets-bundle";

export interface SecretsBackupOptions {
  readonly prisma: PrismaClient;
  readonly env: Env;
  readonly recipients: readonly string[];
  /** BACKUP_RECIPIENTS, which must not read the secrets: a database backup thief gains nothing. */
  readonly databaseRecipients: readonly string[];
  readonly signingKey: BackupSigningKey;
  readonly directory: string;
  readonly operator: string;
  readonly now?: () => Date;
}

export interface SecretsBackupResult {
  readonly file: string;
  readonly manifest: BackupManifest;
  readonly missing: readonly BackedUpSecretName[];
}

export class SecretsBackupError extends Error {
  override name = "SecretsBackupError";
}

/**
 * `secrets backup`: the server's secrets in one age file for SECRETS_BACKUP_RECIPIENTS
 * (never a database backup recipient), with a signed manifest naming (not holding) them.
 */
export async function backupSecrets(options: SecretsBackupOptions): Promise<SecretsBackupResult> {
  const shared = options.recipients.filter((r) => options.databaseRecipients.includes(r));
  if (shared.length > 0) {
    throw new SecretsBackupError(
      "SECRETS_BACKUP_RECIPIENTS must differ from BACKUP_RECIPIENTS: whoever can read the database backups must not also get the secrets",
    );
  }
  const createdAt = (options.now ?? (() => new Date()))();
  const runId = await startBackupRun(options.prisma, "secrets", options.operator);
  const run = { id: runId, kind: "secrets" as const, operator: options.operator };
  try {
    const { bundle, missing } = collectSecrets(options.env, createdAt);
    const encrypter = new Encrypter();
    for (const recipient of options.recipients) encrypter.addRecipient(recipient);
    const ciphertext = await encrypter.encrypt(JSON.stringify(bundle));
    const stamp = createdAt
      .toISOString()
      .replace(/[-:]/gu, "")
      .replace(/\.\d{3}/u, "");
    await mkdir(options.directory, { recursive: true, mode: 0o700 });
    const file = path.join(options.directory, `conclave-secrets-${stamp}.age`);
    const sha256 = createHash("sha256").update(ciphertext).digest("hex");
    const manifest = signManifest(
      {
        createdAt: createdAt.toISOString(),
        content: { kind: "secrets", secretNames: Object.keys(bundle.secrets).sort() },
        ciphertext: { fileName: path.basename(file), sha256, bytes: ciphertext.length },
        recipients: [...options.recipients],
      },
      options.signingKey,
    );
    await writePrivateFileAtomically(file, ciphertext);
    await writeManifest(manifestPathOf(file), manifest);
    await finishBackupRun(options.prisma, run, {
      ok: true,
      fileName: path.basename(file),
      ciphertextSha256: sha256,
      ciphertextBytes: ciphertext.length,
      auditHeadSeq: null,
    });
    return { file, manifest, missing };
  } catch (error) {
    // The reason is the error's class, never its message: a config error could name a file.
    await finishBackupRun(options.prisma, run, {
      ok: false,
      reason: error instanceof Error ? error.name : "unknown error",
    });
    throw error;
  }
}
