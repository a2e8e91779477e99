// deploy/fail2ban checked by fail2ban itself: the filter, run by fail2ban-regex over the
// log a real signing server wrote while a client behind a trusted proxy failed to log in
// and was then banned, finds exactly that client; the jail passes `fail2ban-client -t`.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { generateIdentityKey } from "@conclave/client/identity/identity-key";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDevCertificates } from "../scripts/start/dev-certificates";
import { fail2banRegexTool } from "../scripts/test-services/deploy-tools";
import { freePort } from "../scripts/test-services/free-port";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";
import { startAppProcess, type AppProcess } from "./support/deploy-app-process";

const deployDir = path.join(import.meta.dirname, "../deploy/fail2ban");
const filter = path.join(deployDir, "filter.d/conclave.conf");
const attacker = "203.0.113.7";
const honest = "198.51.100.2";
const banThreshold = 3;

function post(
  port: number,
  ca: string,
  forwardedFor: string,
  procedure: string,
  input: unknown,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: "127.0.0.1",
        port,
        ca,
        servername: "localhost",
        method: input === undefined ? "GET" : "POST",
        path: procedure,
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      },
      (response) => {
        response.resume();
        response.once("end", () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    request.once("error", reject);
    request.end(input === undefined ? undefined : JSON.stringify(input));
  });
}

describe("deploy/fail2ban", () => {
  let database: TestDatabase;
  let server: AppProcess;
  let scratch: string;
  let log: string;
  let ca: string;
  let port: number;

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), "conclave-fail2ban-"));
    database = await createTestDatabase();
    mkdirSync(path.join(scratch, "tls"), { mode: 0o700 });
    const tls = ensureDevCertificates(path.join(scratch, "tls"));
    ca = readFileSync(tls.caCertFile, "utf8");
    const keyringFile = path.join(scratch, "jwt-keyring.json");
    writeFileSync(keyringFile, serializeKeyring(await createKeyring(new Date())), { mode: 0o600 });
    port = await freePort();
    // As behind nginx: loopback is the trusted proxy, X-Forwarded-For names the client.
    server = startAppProcess({
      args: ["--import", "tsx", "src/main.ts"],
      cwd: path.join(import.meta.dirname, "../apps/ws-server"),
      env: {
        NODE_ENV: "test",
        CONCLAVE_HOME: scratch,
        DATABASE_URL: database.appUrl,
        TLS_CERT_FILE: tls.certFile,
        TLS_KEY_FILE: tls.keyFile,
        WS_SERVER_HOST: "127.0.0.1",
        WS_SERVER_PORT: String(port),
        WS_SERVER_HTTP_PORT: String(await freePort()),
        PUBLIC_WS_ORIGIN: `https://localhost:${port}`,
        INVITE_CODE_PEPPER: randomUUID(),
        API_KEY_PEPPER: randomUUID(),
        REFRESH_TOKEN_PEPPER: randomUUID(),
        LOG_HMAC_KEY: randomUUID(),
        JWT_KEYRING_FILE: keyringFile,
        TRUSTED_PROXIES: "127.0.0.1/32",
        AUTH_BAN_THRESHOLD: String(banThreshold),
      },
    });
    await server.waitForLog((entry) => entry.msg === "ws-server listening");
    expect(await post(port, ca, honest, "/healthz", undefined)).toBe(200);
    for (let i = 0; i < banThreshold; i++) {
      const status = await post(port, ca, attacker, "/trpc/auth.login", {
        challengeId: randomUUID(),
        identityPublicKey: generateIdentityKey().publicKeyHex,
        signature: "ab".repeat(64),
        deviceName: "guesser",
      });
      expect(status).toBe(401);
    }
    expect(await post(port, ca, attacker, "/healthz", undefined)).toBe(403);
    expect(await post(port, ca, honest, "/healthz", undefined)).toBe(200);
    await server.waitForLog((entry) => entry.refusal === "banned");
    log = path.join(scratch, "ws-server.log");
    writeFileSync(log, server.stdout());
  });

  afterAll(async () => {
    await server.stop();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("matches every failed login and banned request of the client, and nothing of the honest one", () => {
    const result = spawnSync(provisionedTool(fail2banRegexTool), ["-o", "ip", log, filter], {
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    const matched = result.stdout.split("\n").filter((line) => line !== "");
    expect(matched).toEqual([...Array<string>(banThreshold + 1).fill(attacker)]);
  });

  it("reads the lines' own timestamps", () => {
    const result = spawnSync(provisionedTool(fail2banRegexTool), [log, filter], {
      encoding: "utf8",
    });
    expect(result.stdout).toMatch(/\[\d+\] "time":"Year-Month-DayT24hour/u);
    expect(result.stdout).toMatch(new RegExp(`Failregex: ${banThreshold + 1} total`, "u"));
  });

  it("finds nothing when the server logged no refusal (the filter can miss)", () => {
    const quiet = path.join(scratch, "quiet.log");
    writeFileSync(
      quiet,
      server
        .stdout()
        .split("\n")
        .filter((line) => !line.includes('"refusal"'))
        .join("\n"),
    );
    const result = spawnSync(provisionedTool(fail2banRegexTool), ["-o", "ip", quiet, filter], {
      encoding: "utf8",
    });
    expect(result.stdout.trim()).toBe("");
  });

  it("has a jail that fail2ban-client -t accepts beside Debian's own configuration", () => {
    const confDir = path.join(scratch, "etc-fail2ban");
    cpSync("/etc/fail2ban", confDir, { recursive: true });
    // Debian enables an sshd jail on a log file this test machine does not have.
    rmSync(path.join(confDir, "jail.d/defaults-debian.conf"), { force: true });
    cpSync(filter, path.join(confDir, "filter.d/conclave.conf"));
    cpSync(
      path.join(deployDir, "jail.d/conclave.conf"),
      path.join(confDir, "jail.d/conclave.conf"),
    );
    const client = path.join(path.dirname(provisionedTool(fail2banRegexTool)), "fail2ban-client");
    const result = spawnSync(client, ["-c", confDir, "-t"], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toContain("OK: configuration test is successful");
    expect(result.status).toBe(0);
  });
});
