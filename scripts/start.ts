// `npm start`: the embedded default. One command brings up an embedded
// PostgreSQL 15 cluster, applies migrations, creates development secrets, certificates and
// a bootstrap admin on first run, then serves both front doors over HTTPS.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "@conclave/db/embedded/start-embedded-postgres";
import { withBuildLock } from "./start/build-lock";
import { ensureBootstrapAdmin } from "./start/ensure-bootstrap-admin";
import { ensureDevCertificates } from "./start/dev-certificates";
import { ensureDevDatabasePasswords } from "./start/dev-database-passwords";
import { ensureDevSecrets } from "./start/dev-secrets";
import { ensureDevKeyring } from "./start/dev-keyring";
import { writeDatabaseUrlFile } from "./start/database-url-file";
import { ensureHomeDir, ensurePrivateDir } from "./start/private-files";
import { startProcess, stopProcesses, type SupervisedProcess } from "./start/supervisor";
import { waitForHttps } from "./start/wait-for-https";

const root = path.resolve(import.meta.dirname, "..");
const startedAt = Date.now();
const say = (line: string) => process.stdout.write(`conclave: ${line}\n`);

function port(name: string, fallback: number): number {
  const value = process.env[name];
  return value ? Number(value) : fallback;
}

async function main(): Promise<number> {
  const home = path.resolve(root, process.env.CONCLAVE_HOME ?? ".conclave");
  ensureHomeDir(home);
  for (const dir of [path.join(home, "secrets"), path.join(home, "tls")]) ensurePrivateDir(dir);

  if (process.env.CONCLAVE_SKIP_BUILD !== "1") {
    say("building (cached after the first run)...");
    const build = await withBuildLock(root, () =>
      spawnSync("npm", ["run", "build", "--silent"], { cwd: root, encoding: "utf8" }),
    );
    if (build.status !== 0) {
      process.stderr.write(build.stdout + build.stderr);
      throw new Error("the build failed (output above)");
    }
  }

  const secretEnv = ensureDevSecrets(path.join(home, "secrets"));
  const keyringFile = await ensureDevKeyring(path.join(home, "secrets"));
  const tls = ensureDevCertificates(path.join(home, "tls"));

  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(home, "db"),
    passwords: ensureDevDatabasePasswords(path.join(home, "secrets")),
    log: say,
  });
  const children: SupervisedProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<number> => {
    if (stopping) return code;
    stopping = true;
    say("stopping...");
    await stopProcesses(children);
    await postgres.stop();
    say("stopped.");
    return code;
  };

  try {
    await writeDatabaseUrlFile(path.join(home, "secrets", "database_url"), postgres.url);
    if (postgres.appliedMigrations.length > 0)
      say(`applied ${postgres.appliedMigrations.length} migration(s)`);
    await ensureBootstrapAdmin(postgres.url, (credentials) => {
      say("");
      say("created the bootstrap admin. These credentials are shown ONCE:");
      say(`    email:    ${credentials.email}`);
      say(`    password: ${credentials.password}`);
      say("you will set a new password and enrol TOTP at first sign-in.");
      say("");
    });

    const wsPort = port("WS_SERVER_PORT", 8443);
    const webPort = port("WEB_PORT", 3443);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...secretEnv,
      NODE_ENV: "development",
      NEXT_TELEMETRY_DISABLED: "1",
      CONCLAVE_HOME: home,
      DATABASE_URL: postgres.url,
      JWT_KEYRING_FILE: keyringFile,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      TLS_CA_FILE: tls.caCertFile,
      WS_SERVER_PORT: String(wsPort),
      WEB_PORT: String(webPort),
      PUBLIC_WS_ORIGIN: process.env.PUBLIC_WS_ORIGIN ?? `https://localhost:${wsPort}`,
      PUBLIC_WEB_ORIGIN: process.env.PUBLIC_WEB_ORIGIN ?? `https://localhost:${webPort}`,
    };
    const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
    children.push(
      startProcess("ws-server", process.execPath, [tsx, "src/main.ts"], {
        cwd: path.join(root, "apps/ws-server"),
        env,
      }),
      startProcess("web", process.execPath, [tsx, "server.ts"], {
        cwd: path.join(root, "apps/web"),
        env,
      }),
    );

    const anyExited = Promise.race(
      children.map(async (p) => ({ name: p.name, code: await p.exited })),
    );
    // Handlers stay installed for the whole shutdown: Ctrl-C reaches npm and tsx too, and
    // a second signal they forward must not kill us halfway through stopping the database.
    const signalled = new Promise<NodeJS.Signals>((resolve) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
          resolve(signal);
        });
      }
    });

    const ca = readFileSync(tls.caCertFile, "utf8");
    const alive = () => !stopping && children.every((p) => p.child.exitCode === null);
    const ready = Promise.all([
      waitForHttps(`${env.PUBLIC_WS_ORIGIN}/healthz`, ca, 60_000, alive),
      waitForHttps(`${env.PUBLIC_WEB_ORIGIN}/signin`, ca, 60_000, alive),
    ]).then(() => {
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      say(`ready in ${seconds}s`);
      say(`  console:        ${env.PUBLIC_WEB_ORIGIN}`);
      say(`  signing server: ${env.PUBLIC_WS_ORIGIN}  (health: /healthz)`);
      say(`  development CA: ${tls.caCertFile}  (trust it to avoid browser warnings)`);
      say("press Ctrl-C to stop.");
    });

    const outcome = await Promise.race([
      signalled.then((signal) => ({ kind: "signal" as const, signal })),
      anyExited.then((exit) => ({ kind: "exit" as const, ...exit })),
      ready.then(
        () => new Promise<never>(() => undefined),
        (error: unknown) => ({ kind: "error" as const, error }),
      ),
    ]);
    if (outcome.kind === "signal") return await shutdown(0);
    if (outcome.kind === "exit") {
      say(`${outcome.name} exited with code ${outcome.code}; stopping everything.`);
      return await shutdown(1);
    }
    say(outcome.error instanceof Error ? outcome.error.message : "start failed");
    return await shutdown(1);
  } catch (error) {
    say(error instanceof Error ? error.message : "start failed");
    return await shutdown(1);
  }
}

process.exitCode = await main().catch((error: unknown) => {
  say(error instanceof Error ? error.message : "start failed");
  return 1;
});
