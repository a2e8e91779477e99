import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { manifestPathOf } from "./backup-manifest";
import { type DatedBackup, type RetentionPolicy, selectBackupsToKeep } from "./retention-policy";

export interface PruneResult {
  readonly kept: readonly string[];
  readonly removed: readonly string[];
}

const BACKUP_FILE = /^conclave-db-\d{8}T\d{6}Z\.age$/u;

async function createdAtOf(file: string): Promise<Date | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestPathOf(file), "utf8")) as {
      createdAt?: unknown;
    };
    const at = typeof manifest.createdAt === "string" ? new Date(manifest.createdAt) : undefined;
    return at !== undefined && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `backup prune`: applies the retention policy to the complete backups in the folder
 * (a file with a readable manifest). Files without one are left alone for an operator
 * to look at, never deleted by a guess.
 */
export async function pruneBackups(
  directory: string,
  policy: RetentionPolicy,
  dryRun: boolean,
): Promise<PruneResult> {
  const names = (await readdir(directory)).filter((name) => BACKUP_FILE.test(name));
  const backups: DatedBackup[] = [];
  for (const name of names) {
    const createdAt = await createdAtOf(path.join(directory, name));
    if (createdAt !== undefined) backups.push({ name, createdAt });
  }
  const { keep, remove } = selectBackupsToKeep(backups, policy);
  if (!dryRun) {
    for (const backup of remove) {
      const file = path.join(directory, backup.name);
      await rm(file, { force: true });
      await rm(manifestPathOf(file), { force: true });
    }
  }
  return { kept: keep.map((b) => b.name), removed: remove.map((b) => b.name) };
}
