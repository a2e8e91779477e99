import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { childProcessEnv } from "@conclave/config/child-process-env";

const root = path.resolve(import.meta.dirname, "../../..");
const main = path.join(root, "apps/ws-server/src/main.ts");

export interface SpawnedWsServer {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first stdout JSON line matching `predicate`; rejects if the process exits. */
  waitForLog(
    predicate: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Runs `node --import tsx apps/ws-server/src/main.ts` with exactly `env` (plus PATH), as
 * `npm start` does: no tsx parent process in between, so signals (SIGHUP) reach the app.
 */
export function spawnWsServer(
  env: Record<string, string>,
  user: { uid?: number; gid?: number } = {},
): SpawnedWsServer {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    ...user,
    cwd: path.join(root, "apps/ws-server"),
    // A private key prefix unless the test shares one on purpose: test files share one
    // Redis and one client address.
    env: childProcessEnv({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ABUSE_REDIS_KEY_PREFIX: `conclave-test:${randomUUID()}`,
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      resolve(code);
      for (const listener of listeners) listener();
    });
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill(signal) {
      child.kill(signal);
    },
    waitForLog(predicate) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of stdout.split("\n")) {
            if (!line.startsWith("{")) continue;
            const entry = JSON.parse(line) as Record<string, unknown>;
            if (predicate(entry)) {
              listeners.delete(check);
              resolve(entry);
              return;
            }
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`ws-server exited early:\n${stderr}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}
