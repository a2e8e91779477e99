// Runs the real `npm start` in a temporary CONCLAVE_HOME on free ports, for the tests of
// the embedded default.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../scripts/test-services/free-port";

const root = path.resolve(import.meta.dirname, "..");

export interface StartedConclave {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

/** A fresh home and free ports, with DATABASE_URL and REDIS_URL unset: the embedded default. */
export async function embeddedEnv(): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
  const home = mkdtempSync(path.join(tmpdir(), "conclave-start-"));
  const [wsPort, wsHttpPort, webPort, webHttpPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    CONCLAVE_HOME: home,
    WS_SERVER_PORT: String(wsPort),
    WS_SERVER_HTTP_PORT: String(wsHttpPort),
    WEB_PORT: String(webPort),
    WEB_HTTP_PORT: String(webHttpPort),
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return { home, env };
}

/** `npm start` in its own process group, so a test can Ctrl-C (or kill) all of it. */
export function startConclave(env: NodeJS.ProcessEnv): StartedConclave {
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env, detached: true });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

/** `afterExit`: keep reading once npm is gone, since its children outlive it on Ctrl-C. */
export function waitForOutput(
  started: StartedConclave,
  pattern: RegExp,
  timeoutMs: number,
  { afterExit = false } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (pattern.test(started.output())) {
        clearInterval(timer);
        resolve();
      } else if ((!afterExit && started.child.exitCode !== null) || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`did not see ${String(pattern)}; output:\n${started.output()}`));
      }
    }, 100);
  });
}

/**
 * Ctrl-C, as a user would, then whatever is left goes down hard: the npm group, and the
 * database server, which runs in a process group of its own.
 */
export async function stopConclave(
  started: StartedConclave | undefined,
  home: string,
): Promise<void> {
  if (started === undefined) return;
  try {
    process.kill(-(started.child.pid ?? 0), "SIGINT");
    await waitForOutput(started, /conclave: stopped\./, 60_000, { afterExit: true });
  } catch {
    // Already gone, or it did not stop in time: finished below.
  }
  try {
    process.kill(-(started.child.pid ?? 0), "SIGKILL");
  } catch {
    // The group is already gone.
  }
  const pidFile = path.join(home, "db", "postmaster.pid");
  const postmaster = existsSync(pidFile)
    ? Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10)
    : Number.NaN;
  if (Number.isSafeInteger(postmaster) && postmaster > 0) {
    try {
      process.kill(postmaster, "SIGQUIT");
    } catch {
      // Not running.
    }
  }
}
