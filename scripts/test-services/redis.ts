import { spawn } from "node:child_process";
import { connect } from "node:net";
import { firstExisting, provisionDebianTool, type DebianTool } from "./debian-package";
import { freePort } from "./free-port";
import type { RunningService } from "./postgres";

/** Also used alone: some tests stop and restart a Redis of their own. */
export const redisServerTool: DebianTool = {
  pkg: "redis-server",
  envVar: "CONCLAVE_TEST_REDIS_SERVER",
  find: () => firstExisting(["/usr/bin/redis-server", "/usr/local/bin/redis-server"]),
};

/** Whether a Redis answers PING on 127.0.0.1:`port`. */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

/**
 * `bin` defaults to the redis-server `npm test` provisioned (CONCLAVE_TEST_REDIS_SERVER),
 * else it is provisioned here (bench), under the same lock.
 */
export async function startRedis(workDir: string, bin?: string): Promise<RunningService> {
  bin ??= process.env[redisServerTool.envVar] ?? (await provisionDebianTool(redisServerTool));
  const port = await freePort();
  const child = spawn(
    bin,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      workDir,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await pingRedis(port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("redis-server did not become ready");
}
