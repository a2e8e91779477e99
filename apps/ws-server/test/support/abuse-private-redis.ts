// A redis-server of one test's own, on a fixed loopback port, that the test may stop
// and start again: the Redis that `npm test` shares between test files must never go
// down under them.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pingRedis } from "../../../../scripts/test-services/redis";
import { freePort } from "../guardian-front-door";

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence), and waits for PONG. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  remove(): Promise<void>;
}

function redisServerBinary(): string {
  const found = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((bin) =>
    existsSync(bin),
  );
  if (found === undefined) throw new Error("redis-server is not installed (npm test installs it)");
  return found;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const bin = redisServerBinary();
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-abuse-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const started = spawn(
      bin,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { cwd: dir, stdio: "ignore" },
    );
    child = started;
    exited = new Promise((resolve) => {
      started.once("exit", () => {
        resolve();
      });
    });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await pingRedis(port)) return;
      if (started.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    started.kill("SIGKILL");
    throw new Error(`private redis-server did not become ready on port ${port}`);
  };
  const stop = async (): Promise<void> => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
