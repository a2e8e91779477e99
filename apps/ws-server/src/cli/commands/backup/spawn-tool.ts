import { type ChildProcess, spawn } from "node:child_process";

const STDERR_LIMIT = 4096;

export interface SpawnedTool {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The first 4 KiB of its stderr, for the operator's error message. */
  stderr(): string;
}

/** A PostgreSQL tool with piped stdin/stdout, its stderr kept for error messages. */
export function spawnTool(
  binary: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): SpawnedTool {
  const child = spawn(binary, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      resolve(code);
    });
  });
  return { child, exited, stderr: () => stderr.slice(0, STDERR_LIMIT).trim() };
}
