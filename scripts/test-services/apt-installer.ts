import { spawn } from "node:child_process";

/**
 * apt's own lock is the second line of defence: the provisioning lock serialises our
 * processes, this waits out anything else (unattended-upgrades, a person) holding dpkg.
 */
const aptWaitsForLock = ["-o", "DPkg::Lock::Timeout=300"];

/** Installs Debian packages with apt-get; only root can. */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing test tools and this user cannot install them: run 'apt-get install ${packages.join(" ")}' as root`,
    );
  }
  await run("apt-get", [...aptWaitsForLock, "update", "-qq"]);
  await run("apt-get", [
    ...aptWaitsForLock,
    "install",
    "-y",
    "-qq",
    "--no-install-recommends",
    ...packages,
  ]);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
