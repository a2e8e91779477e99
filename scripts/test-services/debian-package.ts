import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

let aptUpdated = false;

/**
 * Installs a Debian package when none of `probes` exists. Tests must pass on a
 * fresh machine with no manual step, so the suite brings its own services.
 */
export function ensureDebianPackage(pkg: string, probes: () => string | undefined): string {
  const found = probes();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${pkg} is not installed and this user cannot install it: run 'apt-get install ${pkg}'`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!aptUpdated) {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    aptUpdated = true;
  }
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", pkg], {
    stdio: "inherit",
    env,
  });
  const installed = probes();
  if (!installed) throw new Error(`installed ${pkg} but still cannot find its binaries`);
  return installed;
}

export function firstExisting(paths: string[]): string | undefined {
  return paths.find((candidate) => existsSync(candidate));
}
