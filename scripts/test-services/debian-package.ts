import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { aptInstall } from "./apt-installer";
import { withInstallLock } from "./install-lock";

/** A tool the tests need, from a Debian package, handed to them through `envVar`. */
export interface DebianTool {
  readonly pkg: string;
  readonly envVar: string;
  /** The path handed to the tests, or undefined while the package is missing. */
  find(): string | undefined;
}

export interface ProvisionOptions {
  installer?: (packages: readonly string[]) => Promise<void>;
  lockFile?: string;
}

/** One lock for every provisioner on the machine: concurrent `npm test` runs included. */
const defaultLockFile = path.join(tmpdir(), "conclave-test-provision.lock");

/**
 * Finds each tool, installing the missing packages in one go. Tests must pass on a
 * fresh machine with no manual step. Safe to call concurrently from several processes:
 * the lock serialises them, and whoever gets it second finds the tools installed.
 * Returns the path of each tool by its environment variable.
 */
export async function provisionDebianTools(
  tools: readonly DebianTool[],
  options: ProvisionOptions = {},
): Promise<Record<string, string>> {
  if (tools.some((tool) => tool.find() === undefined)) {
    await withInstallLock(options.lockFile ?? defaultLockFile, async () => {
      const missing = [...new Set(tools.filter((t) => t.find() === undefined).map((t) => t.pkg))];
      if (missing.length > 0) await (options.installer ?? aptInstall)(missing);
    });
  }
  return Object.fromEntries(tools.map((tool) => [tool.envVar, installedPath(tool)]));
}

export async function provisionDebianTool(tool: DebianTool): Promise<string> {
  await provisionDebianTools([tool]);
  return installedPath(tool);
}

function installedPath(tool: DebianTool): string {
  const found = tool.find();
  if (found === undefined) {
    throw new Error(`installed ${tool.pkg} but still cannot find what ${tool.envVar} names`);
  }
  return found;
}

export function firstExisting(paths: string[]): string | undefined {
  return paths.find((candidate) => existsSync(candidate));
}
