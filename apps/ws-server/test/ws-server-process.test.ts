import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { send } from "./https-client";
import { runOperatorCli } from "./run-cli";
import { spawnWsServer, type SpawnedWsServer } from "./spawn-ws-server";
import { createTempTlsFiles } from "./temp-tls-files";

// Runs the real entry point against a real PostgreSQL (DATABASE_URL from `npm test`).
describe("ws-server process", () => {
  const tls = createTempTlsFiles();
  let database: TestDatabase;
  let server: SpawnedWsServer;
  let port: number;
  let redirectPort: number;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    server = spawnWsServer({
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      CONCLAVE_HOME: tls.dir,
      DATABASE_URL: database.appUrl,
      DATABASE_MIGRATION_URL: database.ownerUrl,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      WS_SERVER_HOST: "127.0.0.1",
      WS_SERVER_PORT: "0",
      WS_SERVER_HTTP_PORT: "0",
      PUBLIC_WS_ORIGIN: "https://localhost:8443",
      INVITE_CODE_PEPPER: "conclave-dev-invite",
      API_KEY_PEPPER: "conclave-dev-api",
      REFRESH_TOKEN_PEPPER: "conclave-dev-refresh",
      LOG_HMAC_KEY: "conclave-dev-log",
      JWT_KEYRING_FILE: tls.write(
        "jwt-keyring.json",
        serializeKeyring(await createKeyring(new Date())),
        0o600,
      ),
    });
    const listening = await server.waitForLog((entry) => entry.msg === "ws-server listening");
    port = Number(new URL(String(listening.url)).port);
    redirectPort = Number(listening.redirectPort);
  });

  afterAll(async () => {
    server.kill("SIGKILL");
    await server.exited;
    await database.drop();
    tls.remove();
  });

  it("applied the migrations through the owner role before listening", async () => {
    const client = new pg.Client({ connectionString: database.ownerUrl });
    await client.connect();
    try {
      const result = await client.query<{ count: string }>(
        "SELECT count(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL",
      );
      expect(Number(result.rows[0]?.count)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it("answers /healthz after querying the database as the application role", async () => {
    const response = await send({ port, path: "/healthz", ca: tls.cert });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: "ok", db: "ok" });
    expect(response.headers["strict-transport-security"]).toBeDefined();
  });

  it("redirects plain HTTP to the public HTTPS origin", async () => {
    const response = await send({ port: redirectPort, path: "/healthz" });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe("https://localhost:8443/healthz");
  });

  it("never logs the database passwords", () => {
    const output = server.stdout() + server.stderr();
    for (const url of [database.appUrl, database.ownerUrl]) {
      const password = decodeURIComponent(new URL(url).password);
      expect(password).not.toBe("");
      expect(output).not.toContain(password);
    }
  });

  it("publishes a key rotated with `conclave keys rotate` after SIGHUP", async () => {
    const jwks = async () =>
      (
        JSON.parse((await send({ port, path: "/.well-known/jwks.json", ca: tls.cert })).body) as {
          keys: { kid: string }[];
        }
      ).keys.map((key) => key.kid);
    expect(await jwks()).toHaveLength(1);
    const rotated = await runOperatorCli(["keys", "rotate"], {
      NODE_ENV: "test",
      DATABASE_URL: database.appUrl,
      JWT_KEYRING_FILE: path.join(tls.dir, "jwt-keyring.json"),
    });
    expect(rotated.code).toBe(0);
    const kid = rotated.stdout.trim();
    expect(await jwks()).not.toContain(kid);
    server.kill("SIGHUP");
    await server.waitForLog((entry) => entry.msg === "JWT keyring reloaded" && entry.kid === kid);
    const kids = await jwks();
    expect(kids).toContain(kid);
    expect(kids).toHaveLength(2);
  });

  it("stops cleanly on SIGTERM with exit code 0", async () => {
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('"msg":"ws-server stopped"');
  });
});
