// Smoke test of `npm start`: the embedded default must come up on its own,
// answer on both HTTPS front doors through the generated CA, refuse a second
// concurrent start on the same data, and stop cleanly on Ctrl-C.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import https from "node:https";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConclave, waitForOutput, type StartedConclave } from "./embedded-conclave-process";
import { startReadyConclave, stopAndRemoveConclave } from "./support/embedded-conclave-lifecycle";

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
  let home: string;
  let env: NodeJS.ProcessEnv;
  let first: StartedConclave;

  beforeAll(async () => {
    ({ home, env, conclave: first } = await startReadyConclave());
  }, 660_000);

  afterAll(async () => {
    await stopAndRemoveConclave(first, home);
  });

  it("prints the bootstrap admin once, with a password", () => {
    expect(first.output()).toMatch(/password: \S{16,}/);
  });

  it("keeps its state private: folders 0700, secret files 0600, database files 0600", () => {
    const homeStat = statSync(home);
    if (process.getuid?.() === 0) {
      // The server runs as `postgres`, which may only traverse the home to reach its folders.
      expect(homeStat.mode & 0o777).toBe(0o710);
      expect(homeStat.uid).toBe(0);
      expect(statSync(path.join(home, "db")).uid).not.toBe(0);
    } else {
      expect(homeStat.mode & 0o777).toBe(0o700);
    }
    for (const dir of ["secrets", "tls", "db", "run"]) {
      expect(statSync(path.join(home, dir)).mode & 0o777).toBe(0o700);
    }
    for (const file of [
      "tls/server.key",
      "secrets/nextauth_secret",
      "secrets/db_superuser_password",
      "secrets/db_owner_password",
      "secrets/db_app_password",
      "secrets/database_url",
      "db.log",
    ]) {
      expect(statSync(path.join(home, file)).mode & 0o777).toBe(0o600);
    }
    const db = path.join(home, "db");
    const openToOthers = readdirSync(db, { withFileTypes: true, recursive: true })
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => (statSync(file).mode & 0o077) !== 0);
    expect(openToOthers).toEqual([]);
  });

  it("serves a real PostgreSQL 15 cluster with password authentication", () => {
    expect(readFileSync(path.join(home, "db/PG_VERSION"), "utf8").trim()).toBe("15");
    expect(readFileSync(path.join(home, "db/pg_hba.conf"), "utf8")).not.toMatch(
      /^\s*[^#\s].*\btrust\b/m,
    );
    expect(readFileSync(path.join(home, "secrets/database_url"), "utf8")).toMatch(
      /^postgres:\/\/conclave_app:[^@]+@127\.0\.0\.1:\d+\/conclave$/,
    );
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
    const homeMode = statSync(home).mode & 0o777;
    const second = startConclave({ ...env, CONCLAVE_SKIP_BUILD: "1" });
    const code = await second.exited;
    expect(code).not.toBe(0);
    expect(second.output()).toMatch(/another Conclave/i);
    expect(statSync(home).mode & 0o777).toBe(homeMode);
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
    expect(existsSync(path.join(home, "db/postmaster.pid"))).toBe(false);
    expect(readFileSync(path.join(home, "db.log"), "utf8")).toContain(
      "database system is shut down",
    );
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
