import { existsSync } from "node:fs";
import path from "node:path";
import { writeAudit } from "@conclave/db/audit/write-audit";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { defaultMigrationsDir, runMigrations } from "@conclave/db/migrate/run-migrations";
import { readDatabaseManifest } from "./backup-manifest";
import { checkAuditAnchor, checkRowCounts, RestoreCheckError } from "./check-restored-database";
import { checkCiphertext } from "./check-ciphertext";
import { decryptIntoTool } from "./decrypt-into-tool";
import { findPostgresTools, libpqEnvironment, withLibpqEnvironment } from "./postgres-tools";
import { assertEmptyTarget } from "./restore-target";
import { serverMajorOf } from "./verify-backup";

export interface RestoreBackupOptions {
  readonly file: string;
  readonly manifestFile: string;
  readonly trustedPublicKeyHex: string;
  readonly identities: readonly string[];
  readonly binDir: string | undefined;
  /** Owner-role URL of the new, empty database (--into). */
  readonly targetUrl: string;
  readonly caFile: string | undefined;
  /** The restricted role granted DML afterwards, as at every start. */
  readonly appRole: string;
  readonly operator: string;
  readonly log: (line: string) => void;
}

export interface RestoredBackup {
  readonly rows: number;
  readonly auditRows: number;
  readonly appliedMigrations: readonly string[];
}

/**
 * `backup restore FILE --into URL`: every check that needs no target first (signature,
 * digest), then an empty target, then pg_restore in one transaction fed by the
 * decryption, then the row counts, the audit chain anchored at the manifest's head, the
 * migrations (newer ones applied, the app role granted), and a backup.restore audit row.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoredBackup> {
  const { manifest, content } = await readDatabaseManifest(
    options.manifestFile,
    options.trustedPublicKeyHex,
  );
  if (!existsSync(path.join(defaultMigrationsDir, content.migration))) {
    throw new RestoreCheckError(
      `the backup's schema (migration ${content.migration}) is newer than this Conclave: restore with the version that made it`,
    );
  }
  await checkCiphertext(options.file, manifest);
  options.log("signature and digest OK");
  const prisma = createPrismaClient({ url: options.targetUrl, caFile: options.caFile, max: 2 });
  try {
    const targetMajor = await assertEmptyTarget(prisma);
    const archiveMajor = serverMajorOf(content.serverVersion);
    if (targetMajor < archiveMajor) {
      throw new RestoreCheckError(
        `the target runs PostgreSQL ${targetMajor}, older than the backup's ${archiveMajor}`,
      );
    }
    const tools = await findPostgresTools(targetMajor, options.binDir);
    const libpq = libpqEnvironment(options.targetUrl, options.caFile);
    const restored = await decryptIntoTool(options.file, options.identities, {
      binary: tools.pgRestore,
      args: [
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        `--dbname=${libpq.PGDATABASE ?? ""}`,
      ],
      env: withLibpqEnvironment(libpq),
    });
    if (restored.code !== 0) {
      throw new RestoreCheckError(`pg_restore failed, nothing was restored: ${restored.stderr}`);
    }
    options.log("archive restored");
    const rows = await checkRowCounts(prisma, content.rowCounts);
    options.log(`row counts match the manifest (${rows} rows)`);
    const auditRows = await checkAuditAnchor(prisma, content.auditHead);
    options.log(
      `audit chain OK: ${auditRows} rows, head ${content.auditHead?.seq ?? "(empty)"} matches`,
    );
    const { applied } = await runMigrations({
      url: options.targetUrl,
      ...(options.caFile === undefined ? {} : { caFile: options.caFile }),
      appRole: options.appRole,
      log: options.log,
    });
    options.log(`migrations OK (${applied.length} applied after the restore)`);
    await prisma.$transaction((tx) =>
      writeAudit(tx, {
        actorType: "SYSTEM",
        actorId: `cli:${options.operator}`,
        action: "backup.restore",
        targetType: "database",
        outcome: "SUCCESS",
        details: {
          backupCreatedAt: manifest.createdAt,
          ciphertextSha256: manifest.ciphertext.sha256,
          auditHeadSeq: content.auditHead?.seq ?? "0",
          migration: content.migration,
        },
      }),
    );
    return { rows, auditRows, appliedMigrations: applied };
  } finally {
    await prisma.$disconnect();
  }
}
