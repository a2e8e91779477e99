// Two `npm start`s from one checkout (different CONCLAVE_HOMEs) would otherwise run two
// Next builds into the same .next folder at once and break both; the second waits for
// the first, then finds the build cached.
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

function readHolder(lockFile: string): string {
  try {
    return readFileSync(lockFile, "utf8");
  } catch {
    return "";
  }
}

function isAlive(holder: string): boolean {
  const pid = Number.parseInt(holder.trim(), 10);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryLock(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, "wx", 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // A lock left by a dead build is removed, unless it changed hands meanwhile.
    const holder = readHolder(lockFile);
    if (holder !== "" && !isAlive(holder) && readHolder(lockFile) === holder) {
      rmSync(lockFile, { force: true });
    }
    return false;
  }
}

export async function withBuildLock<T>(root: string, work: () => T): Promise<T> {
  const lockDir = path.join(root, "node_modules", ".cache");
  mkdirSync(lockDir, { recursive: true });
  const lockFile = path.join(lockDir, "conclave-build.lock");
  while (!tryLock(lockFile)) await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    return work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
