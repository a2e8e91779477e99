import { spawn } from "node:child_process";
import path from "node:path";
import { childProcessEnv } from "@conclave/config/child-process-env";

const root = path.resolve(import.meta.dirname, "../../..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const operatorCli = path.join(root, "apps/ws-server/src/cli/conclave.ts");
const guardianCli = path.join(root, "packages/client/src/cli/conclave-guardian.ts");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run conclave -- <args>` the way the root script does, with exactly `env`. */
export function runOperatorCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return runTsx(operatorCli, args, env);
}

/** Runs the `conclave-guardian` bin of @conclave/client; `stdin` answers its prompts. */
export function runGuardianCli(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<CliResult> {
  return runTsx(guardianCli, args, env, stdin);
}

function runTsx(
  script: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, script, ...args], {
      cwd: root,
      env: childProcessEnv({ PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }),
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
