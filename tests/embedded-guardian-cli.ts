// The guardian CLI run the way the README shows: `node --import tsx
// packages/client/src/cli/conclave-guardian.ts ...`, one process per command.
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const guardianCli = path.join(root, "packages/client/src/cli/conclave-guardian.ts");

export interface GuardianCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `stdin` answers the CLI's prompts (e.g. "yes\n" to approve a signature). A command still
 * running after `timeoutMs` is killed (code null), so a hung ceremony fails with what the
 * guardian printed instead of a bare test timeout.
 */
export function runGuardian(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
  timeoutMs = 150_000,
): Promise<GuardianCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", guardianCli, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
