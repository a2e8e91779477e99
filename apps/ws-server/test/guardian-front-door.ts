import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { readTlsCredentials } from "@conclave/config/read-tls-credentials";
import { createLogger } from "@conclave/logger/create-logger";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { loadWsServerConfig } from "../src/config";
import { createApiDependencies, type OwnedApiDependencies } from "../src/create-api-dependencies";
import { startWsServer, type RunningWsServer } from "../src/start-ws-server";
import { createTempTlsFiles, type TempTlsFiles } from "./temp-tls-files";

export type TestClock = { now(): Date; set(at: Date): void };

export interface GuardianFrontDoor {
  readonly server: RunningWsServer;
  readonly api: OwnedApiDependencies;
  readonly clock: TestClock;
  readonly database: TestDatabase;
  readonly tls: TempTlsFiles;
  /** https://localhost:<port>, the origin clients dial and challenges name. */
  readonly origin: string;
  readonly port: number;
  /** A fresh private state folder for one SDK client. */
  stateDir(): string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no port"));
        else resolve(address.port);
      });
    });
  });
}

/**
 * The ws-server as main.ts wires it (config from an environment, the same dependency
 * builder, Redis bus when REDIS_URL is set), in process on a free port with a throwaway
 * certificate, and a clock the test can move. Abuse protection runs with the defaults
 * under a private Redis key prefix (test files share one Redis and one client address);
 * `env` adds or overrides variables, e.g. limits.
 */
export async function startGuardianFrontDoor(
  env: Record<string, string> = {},
  options: { authenticateWithinMs?: number; heartbeatMs?: number } = {},
): Promise<GuardianFrontDoor> {
  const tls = createTempTlsFiles();
  const database = await createTestDatabase();
  const port = await freePort();
  const origin = `https://localhost:${port}`;
  const config = loadWsServerConfig({
    NODE_ENV: "test",
    DATABASE_URL: database.appUrl,
    REDIS_URL: process.env.REDIS_URL,
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    WS_SERVER_HOST: "127.0.0.1",
    WS_SERVER_PORT: String(port),
    WS_SERVER_HTTP_PORT: "0",
    PUBLIC_WS_ORIGIN: origin,
    WS_ALLOWED_ORIGINS: "https://console.conclave.test",
    INVITE_CODE_PEPPER: "test-invite-pepper-0123456789abcdef",
    API_KEY_PEPPER: "test-api-key-pepper-0123456789abcdef",
    REFRESH_TOKEN_PEPPER: "test-refresh-pepper-0123456789abcdef",
    LOG_HMAC_KEY: "test-log-hmac-key-0123456789abcdef",
    JWT_KEYRING: serializeKeyring(await createKeyring(new Date())),
    ABUSE_REDIS_KEY_PREFIX: `conclave-test:${randomUUID()}`,
    ...env,
  });
  let current = Date.now();
  const clock: TestClock = {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
  };
  const logger = createLogger({ name: "ws-server-test", level: "silent" });
  const api = await createApiDependencies(config, { logger, clock });
  const server = await startWsServer({
    host: config.http.host,
    port: config.http.port,
    httpPort: config.http.httpPort,
    publicOrigin: config.http.publicOrigin,
    tls: readTlsCredentials(config.tls),
    logger,
    checkDatabase: () => Promise.resolve(),
    guardian: {
      deps: api.deps,
      allowedOrigins: config.wsOrigins.allowedOrigins,
      trustedProxies: config.abuse.trustedProxies,
      drainMs: 500,
      ...options,
    },
  });
  const stateRoot = mkdtempSync(path.join(tmpdir(), "conclave-guardian-"));
  let next = 0;
  return {
    server,
    api,
    clock,
    database,
    tls,
    origin,
    port,
    stateDir: () => path.join(stateRoot, `guardian-${++next}`),
    async close() {
      await server.stop();
      await api.close();
      await database.drop();
      tls.remove();
      rmSync(stateRoot, { recursive: true, force: true });
    },
  };
}
