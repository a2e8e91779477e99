import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { encryptStream } from "./age-streams";
import type { BackupSigningKey } from "./backup-signing-key";
import {
  type BackupManifest,
  manifestPathOf,
  signManifest,
  writeManifest,
} from "./backup-manifest";
import { readSnapshotFacts } from "./database-snapshot";
import { digestingStream } from "./digesting-stream";
import { findPostgresTools, libpqEnvironment, withLibpqEnvironment } from "./postgres-tools";
import { finishBackupRun, startBackupRun } from "./record-backup-run";
import { spawnTool } from "./spawn-tool";

export type BackupTarget =
  | { readonly kind: "directory"; readonly directory: string }
  | { readonly kind: "stdout"; readonly stdout: Writable; readonly manifestFile: string };

export interface CreateBackupOptions {
  readonly prisma: PrismaClient;
  readonly database: { readonly url: string; readonly caFile: string | undefined };
  readonly recipients: readonly string[];
  readonly signingKey: BackupSigningKey;
  readonly binDir: string | undefined;
  readonly target: BackupTarget;
  readonly operator: string;
  readonly now?: () => Date;
}

export interface CreatedBackup {
  readonly file: string | null;
  readonly manifestFile: string;
  readonly manifest: BackupManifest;
}

export class BackupFailedError extends Error {
  override name = "BackupFailedError";
}

// A backup never holds the snapshot longer than this; pg_dump of a large database ends
// well before, and the lock wait below keeps it from queueing behind a migration.
const SNAPSHOT_TIMEOUT_MS = 6 * 60 * 60 * 1000;

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/gu, "")
    .replace(/\.\d{3}/u, "");
}

/**
 * `backup create`: pg_dump (custom format) of the snapshot the manifest describes,
 * encrypted to the configured age recipients as it streams, into a file that appears
 * under its final name only once complete (or to stdout). The signed manifest records
 * schema version, audit head, row counts and the ciphertext's digest. Every run,
 * successful or not, is a BackupRun row and a backup.create audit row.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreatedBackup> {
  const { prisma, target } = options;
  const createdAt = (options.now ?? (() => new Date()))();
  const runId = await startBackupRun(prisma, "database", options.operator);
  const run = { id: runId, kind: "database" as const, operator: options.operator };
  // Where the ciphertext goes: a file that gets its final name only once complete, or
  // the caller's stream.
  const output =
    target.kind === "directory"
      ? {
          kind: "file" as const,
          file: path.join(target.directory, `conclave-db-${stamp(createdAt)}.age`),
        }
      : target;
  const partial = output.kind === "file" ? `${output.file}.partial` : null;
  const file = output.kind === "file" ? output.file : null;
  if (target.kind === "directory") await mkdir(target.directory, { recursive: true, mode: 0o700 });
  try {
    const result = await prisma.$transaction(
      async (tx) => {
        const facts = await readSnapshotFacts(tx);
        const tools = await findPostgresTools(facts.serverMajor, options.binDir);
        const dump = spawnTool(
          tools.pgDump,
          [
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            `--snapshot=${facts.snapshotId}`,
            "--lock-wait-timeout=30s",
          ],
          withLibpqEnvironment(libpqEnvironment(options.database.url, options.database.caFile)),
        );
        dump.child.stdin?.end();
        if (dump.child.stdout === null) throw new BackupFailedError("pg_dump has no output");
        const digest = digestingStream();
        const sink =
          output.kind === "stdout"
            ? output.stdout
            : createWriteStream(`${output.file}.partial`, {
                flags: "wx",
                mode: 0o600,
                flush: true,
              });
        const encrypted = await encryptStream(dump.child.stdout, options.recipients);
        const [code] = await Promise.all([
          dump.exited,
          pipeline(encrypted, digest.stream, sink, { end: output.kind === "file" }),
        ]);
        if (code !== 0) {
          throw new BackupFailedError(
            `pg_dump exited with code ${String(code)}${dump.stderr() === "" ? "" : `: ${dump.stderr()}`}`,
          );
        }
        return { facts, tools, digest: digest.digest() };
      },
      { isolationLevel: "RepeatableRead", timeout: SNAPSHOT_TIMEOUT_MS, maxWait: 30_000 },
    );
    const { facts, tools, digest } = result;
    const manifest = signManifest(
      {
        createdAt: createdAt.toISOString(),
        content: {
          kind: "database",
          serverVersion: facts.serverVersion,
          pgDumpVersion: tools.version,
          migration: facts.migrations.at(-1) ?? "",
          migrationCount: facts.migrations.length,
          auditHead: facts.auditHead,
          rowCounts: { ...facts.rowCounts },
        },
        ciphertext: {
          fileName: file === null ? null : path.basename(file),
          sha256: digest.sha256,
          bytes: digest.bytes,
        },
        recipients: [...options.recipients],
      },
      options.signingKey,
    );
    const manifestFile =
      output.kind === "stdout" ? output.manifestFile : manifestPathOf(output.file);
    await writeManifest(manifestFile, manifest);
    if (file !== null && partial !== null) await rename(partial, file);
    await finishBackupRun(prisma, run, {
      ok: true,
      fileName: file === null ? null : path.basename(file),
      ciphertextSha256: digest.sha256,
      ciphertextBytes: digest.bytes,
      auditHeadSeq: facts.auditHead?.seq ?? null,
    });
    return { file, manifestFile, manifest };
  } catch (error) {
    if (partial !== null) await rm(partial, { force: true });
    const reason =
      error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : "unknown error";
    await finishBackupRun(prisma, run, { ok: false, reason });
    throw error;
  }
}
