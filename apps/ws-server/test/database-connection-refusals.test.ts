import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { spawnWsServer } from "./spawn-ws-server";
import { createTempTlsFiles } from "./temp-tls-files";

// `npm test`'s cluster is production's shape (scripts/test-services/postgres.ts): SCRAM
// only, TLS only, verified against a CA of the run. These tests show that every suite
// really travels that path, and that the server refuses each way of leaving it with an
// error that says what is wrong and names no secret.
describe("the database connection, as in production", () => {
  const tls = createTempTlsFiles();
  let database: TestDatabase;
  let keyringFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    keyringFile = tls.write(
      "jwt-keyring.json",
      serializeKeyring(await createKeyring(new Date())),
      0o600,
    );
  });

  afterAll(async () => {
    await database.drop();
    tls.remove();
  });

  function variant(url: string, change: (parsed: URL) => void): string {
    const parsed = new URL(url);
    change(parsed);
    return parsed.toString();
  }

  it("connects the application role over verified TLS with a SCRAM password", async () => {
    const url = new URL(database.appUrl);
    expect(url.searchParams.get("sslmode")).toBe("verify-full");
    expect(url.password).not.toBe("");
    const client = new pg.Client({ connectionString: database.appUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ssl: boolean; version: string }>(
        "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      );
      expect(rows[0]?.ssl).toBe(true);
      expect(rows[0]?.version).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await client.end();
    }
    const admin = new pg.Client({ connectionString: database.superuserUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ rolname: string; scram: boolean }>(
        "SELECT rolname, rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname IN ('conclave_app', 'conclave_owner') ORDER BY rolname",
      );
      expect(rows).toEqual([
        { rolname: "conclave_app", scram: true },
        { rolname: "conclave_owner", scram: true },
      ]);
      const hba = await admin.query<{ type: string; auth_method: string }>(
        "SELECT type, auth_method FROM pg_hba_file_rules",
      );
      expect(hba.rows.map((rule) => rule.auth_method)).not.toContain("trust");
      expect(hba.rows.map((rule) => rule.type)).not.toContain("host");
    } finally {
      await admin.end();
    }
  });

  const refusals: [string, (url: URL) => void, RegExp][] = [
    [
      "a plaintext connection",
      (url) => {
        url.searchParams.set("sslmode", "disable");
      },
      /no pg_hba\.conf entry .*no encryption/,
    ],
    [
      "a server certificate from another CA",
      (url) => {
        url.searchParams.set("sslrootcert", tls.certFile);
      },
      /certificate/i,
    ],
    [
      "a wrong password",
      (url) => {
        url.password = "Wrong-Pa55word-For-The-App";
      },
      /password authentication failed for user \\?"conclave_app/,
    ],
  ];

  it.each(refusals)(
    "refuses %s at start, naming the cause and no secret",
    async (_, change, cause) => {
      const url = variant(database.appUrl, change);
      const server = spawnWsServer({
        NODE_ENV: "development",
        CONCLAVE_HOME: tls.dir,
        DATABASE_URL: url,
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
        JWT_KEYRING_FILE: keyringFile,
      });
      expect(await server.exited).not.toBe(0);
      const output = server.stdout() + server.stderr();
      expect(output).toMatch(cause);
      for (const secret of [new URL(url).password, new URL(database.appUrl).password]) {
        expect(output).not.toContain(secret);
        expect(output).not.toContain(encodeURIComponent(secret));
      }
    },
  );
});
