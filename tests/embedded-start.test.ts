// Smoke test of `npm start`: the embedded default must come up on its own,
// answer on both HTTPS front doors through the generated CA, refuse a second
// concurrent start on the same data, and stop cleanly on Ctrl-C.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import https from "node:https";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/test-services/free-port";

const root = path.resolve(import.meta.dirname, "..");

interface StartedConclave {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function startConclave(env: NodeJS.ProcessEnv): StartedConclave {
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
function waitForOutput(
  started: StartedConclave,
  pattern: RegExp,
  timeoutMs: number,
  { afterExit = false } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (pattern.test(started.output())) {
        clearInterval(timer);
        resolve();
      } else if ((!afterExit && started.child.exitCode !== null) || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`did not see ${String(pattern)}; output:\n${started.output()}`));
      }
    }, 100);
    const deadline = Date.now() + timeoutMs;
  });
}

function get(
  url: string,
  ca: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers });
        });
      })
      .once("error", reject);
  });
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

describe("npm start (embedded default)", () => {
  const home = mkdtempSync(path.join(tmpdir(), "conclave-start-"));
  let env: NodeJS.ProcessEnv;
  let first: StartedConclave;

  beforeAll(async () => {
    const [wsPort, wsHttpPort, webPort, webHttpPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    env = {
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
    first = startConclave(env);
    await waitForOutput(first, /ready in [\d.]+s/, 600_000);
  }, 660_000);

  afterAll(() => {
    try {
      // Whatever a failed test left running in the group goes down with it.
      process.kill(-(first.child.pid ?? 0), "SIGKILL");
    } catch {
      // The group is already gone.
    }
    rmSync(home, { recursive: true, force: true });
  });

  it("prints the bootstrap admin once, with a password", () => {
    expect(first.output()).toMatch(/password: \S{16,}/);
  });

  it("keeps its state private: folders 0700, secret files 0600", () => {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(home, "secrets")).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(home, "tls/server.key")).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, "secrets/nextauth_secret")).mode & 0o777).toBe(0o600);
  });

  it("serves the signing server's health over HTTPS through the generated CA", async () => {
    const ca = readFileSync(path.join(home, "tls/ca.crt"), "utf8");
    const response = await get(`https://localhost:${env.WS_SERVER_PORT}/healthz`, ca);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: "ok", db: "ok" });
  });

  it("serves the console's sign-in page over HTTPS through the generated CA", async () => {
    const ca = readFileSync(path.join(home, "tls/ca.crt"), "utf8");
    const response = await get(`https://localhost:${env.WEB_PORT}/signin`, ca);
    expect(response.status).toBe(200);
    expect(response.body).toContain("Sign in");
  });

  it("refuses a second concurrent start on the same data directory", async () => {
    const second = startConclave({ ...env, CONCLAVE_SKIP_BUILD: "1" });
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.output()).toMatch(/another Conclave/i);
    // The first instance is untouched by the refused one.
    const ca = readFileSync(path.join(home, "tls/ca.crt"), "utf8");
    expect((await get(`https://localhost:${env.WS_SERVER_PORT}/healthz`, ca)).status).toBe(200);
  }, 120_000);

  it("stops everything cleanly on Ctrl-C", async () => {
    // Ctrl-C signals the whole foreground group; npm itself dies of it, so what counts is
    // that our supervisor finishes its shutdown: apps stopped, database closed, lock gone.
    process.kill(-(first.child.pid ?? 0), "SIGINT");
    await waitForOutput(first, /conclave: stopped\./, 60_000, { afterExit: true });
    expect(existsSync(path.join(home, "db.lock"))).toBe(false);
    expect(await acceptsConnections(Number(env.WS_SERVER_PORT))).toBe(false);
    expect(await acceptsConnections(Number(env.WEB_PORT))).toBe(false);
  }, 90_000);

  it("does not print the bootstrap credentials on a second run", async () => {
    const again = startConclave({ ...env, CONCLAVE_SKIP_BUILD: "1" });
    await waitForOutput(again, /ready in [\d.]+s/, 120_000);
    process.kill(-(again.child.pid ?? 0), "SIGINT");
    await waitForOutput(again, /conclave: stopped\./, 60_000, { afterExit: true });
    expect(again.output()).not.toMatch(/password:/);
  }, 180_000);
});
