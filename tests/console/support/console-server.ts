import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { ensureDevCertificates } from "../../../scripts/start/dev-certificates";
import { waitForHttps } from "../../../scripts/start/wait-for-https";
import { freePort } from "../../../scripts/test-services/free-port";
import { TEST_DIST_DIR } from "./web-build";

const root = path.resolve(import.meta.dirname, "../../..");

export type ConsoleServer = {
  origin: string;
  /** CA that signed the server certificate (PEM). */
  ca: string;
  /** base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, for Chromium. */
  spkiHash: string;
  stdout: () => string;
  stderr: () => string;
  /** Prefix of the server's abuse-protection keys in Redis (its own, so tests cannot collide). */
  abuseKeyPrefix: string;
  stop(): Promise<void>;
};

export type ConsoleServerOptions = {
  /** Added to (and overriding) the server's environment, e.g. limits for a test. */
  env?: Record<string, string>;
};

function secret(): string {
  return randomBytes(32).toString("base64url");
}

/** The console's KEK in every test server, so tests can check what it stores encrypted. */
export const consoleTestDataEncryptionKey = secret();

/** Runs apps/web/server.ts (the built app) over HTTPS with a throwaway CA. */
export async function startConsoleServer(
  databaseUrl: string,
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-console-"));
  const tls = ensureDevCertificates(dir);
  const ca = readFileSync(tls.caCertFile, "utf8");
  const leaf = new X509Certificate(readFileSync(tls.certFile));
  const spkiHash = createHash("sha256")
    .update(leaf.publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  const port = await freePort();
  const httpPort = await freePort();
  const origin = `https://localhost:${port}`;
  const abuseKeyPrefix = `conclave-test:${randomBytes(6).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    CONCLAVE_WEB_DIST_DIR: TEST_DIST_DIR,
    DATABASE_URL: databaseUrl,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    TLS_CA_FILE: tls.caCertFile,
    WEB_HOST: "127.0.0.1",
    WEB_PORT: String(port),
    WEB_HTTP_PORT: String(httpPort),
    PUBLIC_WEB_ORIGIN: origin,
    NEXTAUTH_SECRET: secret(),
    API_KEY_PEPPER: secret(),
    INVITE_CODE_PEPPER: secret(),
    REFRESH_TOKEN_PEPPER: secret(),
    LOG_HMAC_KEY: secret(),
    DATA_ENCRYPTION_KEY: consoleTestDataEncryptionKey,
    JWT_KEYRING: serializeKeyring(await createKeyring(new Date())),
    ABUSE_REDIS_KEY_PREFIX: abuseKeyPrefix,
    ...options.env,
  };
  let stdout = "";
  let stderr = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: path.join(root, "apps/web"),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  try {
    await waitForHttps(`${origin}/signin`, ca, 60_000, () => alive);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`console server did not start: ${stderr.slice(-2000)}`, { cause: error });
  }
  return {
    origin,
    ca,
    spkiHash,
    stdout: () => stdout,
    stderr: () => stderr,
    abuseKeyPrefix,
    async stop() {
      if (alive) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
