// The compiled production build behind the shipped nginx configuration, as deployed:
// NODE_ENV=production, an unprivileged user, secrets from systemd-style credentials and
// *_FILE files, PostgreSQL over verified TLS with the two roles, Redis, nginx in front
// with the apps trusting it (TRUSTED_PROXIES) on loopback.
import { randomBytes, randomUUID } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { ensureDevCertificates } from "../../scripts/start/dev-certificates";
import { nginxTool } from "../../scripts/test-services/deploy-tools";
import { freePort } from "../../scripts/test-services/free-port";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";
import { startAppProcess, type AppEnv, type AppProcess } from "./deploy-app-process";
import {
  renderNginxConfig,
  startNginx,
  type NginxTestSetup,
  type RunningNginx,
} from "./deploy-nginx";
import { ensureProductionBuild } from "./production-build";
import { startTlsPostgres, type TlsPostgres } from "./tls-postgres";

/** The apps refuse root in production: they run as nobody, as a service user would. */
export const SERVICE_UID = 65534;
export const AUTH_BAN_THRESHOLD = 3;

export interface ProductionDeployment {
  readonly dir: string;
  /** Where the apps read fullchain.pem and privkey.pem (CONCLAVE_TLS_DIR of the hook). */
  readonly tlsDir: string;
  readonly ca: string;
  readonly nginx: NginxTestSetup;
  readonly postgres: TlsPostgres;
  readonly wsServer: AppProcess;
  readonly web: AppProcess;
  /** https://localhost:<port> of each door through nginx: the public origins. */
  readonly signingOrigin: string;
  readonly consoleOrigin: string;
  /** The signing server's environment, as its systemd unit would give it. */
  readonly wsServerEnv: AppEnv;
  /** The same deployment's settings for an in-process admin (vaults, invitations). */
  readonly adminEnv: AppEnv;
  readonly cliEntry: string;
  /** Milliseconds from spawning each app to its "listening" log line. */
  readonly readyMs: { readonly wsServer: number; readonly web: number };
  stop(): Promise<void>;
}

/** Resident memory of a process, from /proc (Linux). */
export function residentKiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB$/mu.exec(status)?.[1] ?? Number.NaN);
}

function secret(): string {
  return randomBytes(32).toString("base64url");
}

export async function startProductionDeployment(): Promise<ProductionDeployment> {
  const entries = await ensureProductionBuild();
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl === undefined) throw new Error("REDIS_URL is required (npm test provides it)");
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-production-"));
  chmodSync(dir, 0o755);
  // As certbot would issue it; the deploy hook's copies below are what the apps read.
  const issuedDir = path.join(dir, "issued");
  mkdirSync(issuedDir, { mode: 0o700 });
  const issued = ensureDevCertificates(issuedDir);
  const caFile = path.join(dir, "ca.crt");
  copyFileSync(issued.caCertFile, caFile);
  chmodSync(caFile, 0o644);
  const ca = readFileSync(caFile, "utf8");
  const tlsDir = path.join(dir, "tls");
  mkdirSync(tlsDir, { mode: 0o700 });
  const tls = {
    certFile: path.join(tlsDir, "fullchain.pem"),
    keyFile: path.join(tlsDir, "privkey.pem"),
    caCertFile: caFile,
  };
  copyFileSync(issued.certFile, tls.certFile);
  copyFileSync(issued.keyFile, tls.keyFile);
  // What the service user owns: its key, its keyring, its credentials.
  const owned = (file: string, mode: number) => {
    chmodSync(file, mode);
    if (process.getuid?.() === 0) chownSync(file, SERVICE_UID, SERVICE_UID);
    return file;
  };
  owned(tlsDir, 0o700);
  owned(tls.keyFile, 0o600);
  chmodSync(tls.certFile, 0o644);
  chmodSync(tls.caCertFile, 0o644);
  mkdirSync(path.join(dir, "credentials"));
  const credentials = owned(path.join(dir, "credentials"), 0o700);
  const shared = {
    INVITE_CODE_PEPPER: secret(),
    API_KEY_PEPPER: secret(),
    REFRESH_TOKEN_PEPPER: secret(),
    LOG_HMAC_KEY: secret(),
  };
  // The console's own: NEXTAUTH_SECRET, and the key-encryption key of its sealed fields.
  const consoleOnly = { NEXTAUTH_SECRET: secret(), DATA_ENCRYPTION_KEY: secret() };
  for (const [name, value] of Object.entries({ ...shared, ...consoleOnly })) {
    writeFileSync(path.join(credentials, name), value);
    owned(path.join(credentials, name), 0o400);
  }
  const databaseUrlFile = path.join(dir, "database_url");
  const keyringFile = path.join(dir, "jwt-keyring.json");
  writeFileSync(keyringFile, serializeKeyring(await createKeyring(new Date())));
  owned(keyringFile, 0o600);

  const ports = {
    http: await freePort(),
    console: await freePort(),
    signing: await freePort(),
  };
  const upstreams = { console: await freePort(), signing: await freePort() };
  const signingOrigin = `https://localhost:${String(ports.signing)}`;
  const consoleOrigin = `https://localhost:${String(ports.console)}`;
  const common = {
    NODE_ENV: "production" as const,
    LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
    CONCLAVE_HOME: dir,
    CREDENTIALS_DIRECTORY: credentials,
    DATABASE_URL_FILE: databaseUrlFile,
    DATABASE_CA_FILE: tls.caCertFile,
    REDIS_URL: redisUrl,
    ABUSE_REDIS_KEY_PREFIX: `conclave-production-test:${randomUUID()}`,
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    JWT_KEYRING_FILE: keyringFile,
    TRUSTED_PROXIES: "127.0.0.1/32",
    AUTH_BAN_THRESHOLD: String(AUTH_BAN_THRESHOLD),
  };
  const wsServerEnv = {
    ...common,
    WS_SERVER_HOST: "127.0.0.1",
    WS_SERVER_PORT: String(upstreams.signing),
    WS_SERVER_HTTP_PORT: String(await freePort()),
    WS_SERVER_METRICS_PORT: String(await freePort()),
    PUBLIC_WS_ORIGIN: signingOrigin,
  };
  const webEnv = {
    ...common,
    WEB_HOST: "127.0.0.1",
    WEB_PORT: String(upstreams.console),
    WEB_HTTP_PORT: String(await freePort()),
    WEB_METRICS_PORT: String(await freePort()),
    PUBLIC_WEB_ORIGIN: consoleOrigin,
  };
  // Started last before the apps, so that nothing between it and the cleanup below fails.
  const postgres = await startTlsPostgres(path.join(dir, "postgres"), {
    certFile: issued.certFile,
    keyFile: issued.keyFile,
    caFile,
  });
  writeFileSync(databaseUrlFile, postgres.appUrl);
  owned(databaseUrlFile, 0o600);
  const asService = process.getuid?.() === 0 ? { uid: SERVICE_UID, gid: SERVICE_UID } : {};
  const spawnedAt = Date.now();
  const wsServer = startAppProcess({
    args: [entries.wsServer],
    cwd: path.dirname(entries.wsServer),
    env: wsServerEnv,
    ...asService,
  });
  const web = startAppProcess({
    args: [entries.web],
    cwd: path.dirname(entries.web),
    env: webEnv,
    ...asService,
  });
  let nginx: RunningNginx | undefined;
  const nginxSetup: NginxTestSetup = {
    dir: path.join(dir, "nginx"),
    certFile: tls.certFile,
    keyFile: tls.keyFile,
    caFile: tls.caCertFile,
    webroot: path.join(dir, "webroot"),
    ports,
    upstreams,
  };
  const stop = async () => {
    await nginx?.stop();
    await Promise.all([wsServer.stop(), web.stop()]);
    postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const readyMs = { wsServer: 0, web: 0 };
  try {
    await Promise.all([
      wsServer
        .waitForLog((entry) => entry.msg === "ws-server listening")
        .then(() => {
          readyMs.wsServer = Date.now() - spawnedAt;
        }),
      web
        .waitForLog((entry) => entry.msg === "web listening")
        .then(() => {
          readyMs.web = Date.now() - spawnedAt;
        }),
    ]);
    mkdirSync(nginxSetup.dir);
    renderNginxConfig(nginxSetup);
    nginx = await startNginx(provisionedTool(nginxTool), nginxSetup);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    dir,
    tlsDir,
    ca,
    nginx: nginxSetup,
    postgres,
    wsServer,
    web,
    signingOrigin,
    consoleOrigin,
    wsServerEnv,
    adminEnv: {
      ...shared,
      NODE_ENV: "test" as const,
      DATABASE_URL: postgres.appUrl,
      DATABASE_CA_FILE: tls.caCertFile,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      JWT_KEYRING_FILE: keyringFile,
      PUBLIC_WS_ORIGIN: signingOrigin,
      WS_SERVER_METRICS_PORT: "0",
    },
    cliEntry: entries.cli,
    readyMs,
    stop,
  };
}
