// A previous run that died without stopping its server leaves postmaster.pid behind, and
// perhaps the server itself still running as an orphan. Our data-dir lock proves that no
// live Conclave owns the cluster, so an orphan is stopped (fast shutdown) and a pid file
// naming any other process (a dead pid, or one the system has since reused) is removed;
// PostgreSQL's own crash recovery then replays the WAL on start.
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { isProcessAlive } from "./is-process-alive";

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.split("\0").includes(dataDir);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Returns what it did, for the log: nothing, removed a stale pid file, or stopped an orphan. */
export async function recoverStalePostmaster(
  dataDir: string,
  socketDir: string | undefined,
): Promise<"clean" | "stale-pid-file" | "stopped-orphan"> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const text = await readFile(pidFile, "utf8").catch(() => null);
  let outcome: "clean" | "stale-pid-file" | "stopped-orphan" = "clean";
  if (text !== null) {
    const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
    if (
      Number.isSafeInteger(pid) &&
      pid > 0 &&
      isProcessAlive(pid) &&
      (await isPostmasterOf(pid, dataDir))
    ) {
      process.kill(pid, "SIGINT");
      if (!(await waitForExit(pid, 30_000))) {
        process.kill(pid, "SIGQUIT");
        await waitForExit(pid, 10_000);
      }
      outcome = "stopped-orphan";
    } else {
      outcome = "stale-pid-file";
    }
    await rm(pidFile, { force: true });
  }
  // Socket lock files of earlier runs (other ports) would otherwise pile up.
  if (socketDir !== undefined) {
    for (const entry of await readdir(socketDir).catch(() => [])) {
      if (entry.startsWith(".s.PGSQL.")) await rm(path.join(socketDir, entry), { force: true });
    }
  }
  return outcome;
}
