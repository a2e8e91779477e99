// One Conclave per data directory: it owns the cluster, and only its absence lets a start
// treat a leftover postmaster.pid as stale.
import { open, readFile, rm } from "node:fs/promises";
import { isProcessAlive } from "./is-process-alive";

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
  constructor(dataDir: string, pid: number) {
    super(`another Conclave is using ${dataDir} (pid ${pid}); stop it first`);
  }
}

async function readPid(lockPath: string): Promise<number | null> {
  const text = await readFile(lockPath, "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Takes `<dataDir>.lock` (O_EXCL, holding our pid); a lock left by a dead process is taken over. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return {
        path: lockPath,
        async release() {
          if ((await readPid(lockPath)) === process.pid) await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readPid(lockPath);
    if (holder !== null && isProcessAlive(holder)) throw new DataDirInUseError(dataDir, holder);
    // Stale (dead pid, or a half-written file): remove it only if it has not changed hands since.
    if ((await readPid(lockPath)) === holder) await rm(lockPath, { force: true });
  }
  throw new Error(`could not take the lock ${lockPath}`);
}
