// A real app process for the deployment tests: stdout kept (pino JSON lines), a wait for
// a log line, and a clean stop.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export interface AppProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** The first JSON line on stdout that matches; rejects if the process exits first. */
  waitForLog(
    predicate: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** NODE_ENV always explicit: the apps' rules, and Next's typing of process.env, need it. */
export type AppEnv = Readonly<Record<string, string>> & {
  readonly NODE_ENV: "production" | "test" | "development";
};

export interface AppProcessOptions {
  readonly args: readonly string[];
  readonly env: AppEnv;
  readonly cwd: string;
  /** Run as this user and group (the tests run as root; production refuses root). */
  readonly uid?: number;
  readonly gid?: number;
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function startAppProcess(options: AppProcessOptions): AppProcess {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [...options.args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  child.stdin.end();
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    notify();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      resolve(code);
      notify();
    });
  });
  return {
    pid: child.pid ?? 0,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLog(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = parseLines(stdout).find(predicate);
          if (found !== undefined) {
            listeners.delete(check);
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the process exited early:\n${stderr}\n${stdout.slice(-2000)}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    signal(signal) {
      child.kill(signal);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}
