import { type ChildProcess, spawn } from "node:child_process";

const STDERR_LIMIT = 4096;

// PostgreSQL's DETAIL and CONTEXT (and pg_restore's "Command was") can quote row values,
// e.g. a COPY line holding a password hash: only the error sentence itself is shown.
export function errorSentences(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => /^(pg_dump|pg_restore): (error|warning): /u.test(line))
    .map((line) => line.replace(/\s*(DETAIL|CONTEXT|LINE \d+):.*$/u, ""))
    .join("\n");
}

export interface SpawnedTool {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Its error lines, without row data, for the operator's error message. */
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
  return { child, exited, stderr: () => errorSentences(stderr.slice(0, STDERR_LIMIT)) };
}
