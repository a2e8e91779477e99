import { spawn } from "node:child_process";

/**
 * Runs `action` while holding an exclusive flock(2) on `lockFile`, across processes.
 * The lock is held by a `flock` child that waits on its stdin: the kernel releases it
 * when that child exits, so a provisioner killed mid-install leaves no stale lock.
 */
export async function withInstallLock<T>(
  lockFile: string,
  action: () => Promise<T>,
  waitSeconds = 1_800,
): Promise<T> {
  const holder = spawn(
    "flock",
    ["--exclusive", "--wait", String(waitSeconds), lockFile, "sh", "-c", "echo held; exec cat"],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => {
    holder.once("close", () => {
      resolve();
    });
  });
  const acquired = await new Promise<boolean>((resolve, reject) => {
    holder.once("error", reject);
    holder.stdout.once("data", () => {
      resolve(true);
    });
    holder.once("exit", () => {
      resolve(false);
    });
  });
  if (!acquired) {
    throw new Error(`could not lock ${lockFile} within ${waitSeconds} s (flock exited)`);
  }
  try {
    return await action();
  } finally {
    holder.stdin.end();
    await exited;
  }
}
