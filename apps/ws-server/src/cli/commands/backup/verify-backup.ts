import { findPostgresTools } from "./postgres-tools";
import { type BackupManifest, BackupManifestError, readDatabaseManifest } from "./backup-manifest";
import { checkCiphertext } from "./check-ciphertext";
import { decryptIntoTool } from "./decrypt-into-tool";

export interface VerifyBackupOptions {
  readonly file: string;
  readonly manifestFile: string;
  readonly trustedPublicKeyHex: string;
  readonly identities: readonly string[];
  readonly binDir: string | undefined;
}

export interface VerifiedBackup {
  readonly manifest: BackupManifest;
  readonly databaseManifest: Extract<BackupManifest["content"], { kind: "database" }>;
  /** pg_restore --list: the archive's table of contents, one entry a line. */
  readonly archiveEntries: readonly string[];
}

export class ArchiveUnreadableError extends Error {
  override name = "ArchiveUnreadableError";
}

export function serverMajorOf(version: string): number {
  const major = Number(/^(\d+)/u.exec(version)?.[1]);
  if (!Number.isInteger(major))
    throw new BackupManifestError("the manifest names no server version");
  return major;
}

/**
 * `backup verify FILE`: the manifest's signature against the trusted key, the file's
 * digest against the manifest, then a full decryption with the identity into
 * `pg_restore --list`. Restores nothing.
 */
export async function verifyBackup(options: VerifyBackupOptions): Promise<VerifiedBackup> {
  const { manifest, content } = await readDatabaseManifest(
    options.manifestFile,
    options.trustedPublicKeyHex,
  );
  await checkCiphertext(options.file, manifest);
  const tools = await findPostgresTools(serverMajorOf(content.serverVersion), options.binDir);
  const listed = await decryptIntoTool(options.file, options.identities, {
    binary: tools.pgRestore,
    args: ["--list"],
    env: process.env,
  });
  if (listed.code !== 0) {
    throw new ArchiveUnreadableError(`pg_restore --list failed: ${listed.stderr}`);
  }
  const archiveEntries = listed.stdout
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith(";"));
  return { manifest, databaseManifest: content, archiveEntries };
}
