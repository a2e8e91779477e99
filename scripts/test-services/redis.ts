import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { ensureDevCertificates } from "../start/dev-certificates";
import { firstExisting, provisionDebianTool, type DebianTool } from "./debian-package";
import { freePort } from "./free-port";
import type { RunningService } from "./postgres";

/** Also used alone: some tests stop and restart a Redis of their own. */
export const redisServerTool: DebianTool = {
  pkg: "redis-server",
  envVar: "CONCLAVE_TEST_REDIS_SERVER",
  find: () => firstExisting(["/usr/bin/redis-server", "/usr/local/bin/redis-server"]),
};

/** Whether a Redis answers PING on 127.0.0.1:`port` (after AUTH with `password`). */
export function pingRedis(port: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const auth = password === undefined ? "" : `AUTH ${password}\r\n`;
    socket.once("connect", () => socket.write(`${auth}PING\r\n`));
    const expectedReplies = auth === "" ? 1 : 2;
    let reply = "";
    socket.on("data", (data) => {
      reply += data.toString();
      if (reply.split("\r\n").length - 1 < expectedReplies) return;
      socket.destroy();
      resolve(reply.endsWith("+PONG\r\n"));
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

/** A Redis of `npm test`: a password always, and TLS on a second port. */
export interface RunningRedis extends RunningService {
  /** rediss:// on the TLS port, verified against `caFile`. */
  tlsUrl: string;
  caFile: string;
}

/**
 * `bin` defaults to the redis-server `npm test` provisioned (CONCLAVE_TEST_REDIS_SERVER),
 * else it is provisioned here (bench), under the same lock. As production requires
 * (packages/config redis-config.ts): a password, and TLS for anything but loopback, so
 * the plaintext port is bound to 127.0.0.1 and the TLS port serves the cross-process suites.
 */
export async function startRedis(workDir: string, bin?: string): Promise<RunningRedis> {
  bin ??= process.env[redisServerTool.envVar] ?? (await provisionDebianTool(redisServerTool));
  const port = await freePort();
  const tlsPort = await freePort();
  const password = randomBytes(24).toString("base64url");
  const tlsDir = path.join(workDir, `redis-tls-${port}`);
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const tls = ensureDevCertificates(tlsDir);
  const child = spawn(
    bin,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--requirepass",
      password,
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      tls.certFile,
      "--tls-key-file",
      tls.keyFile,
      "--tls-ca-cert-file",
      tls.caCertFile,
      "--tls-auth-clients",
      "no",
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
    if (await pingRedis(port, password)) {
      const secret = encodeURIComponent(password);
      return {
        url: `redis://:${secret}@127.0.0.1:${port}`,
        tlsUrl: `rediss://:${secret}@127.0.0.1:${tlsPort}`,
        caFile: tls.caCertFile,
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
