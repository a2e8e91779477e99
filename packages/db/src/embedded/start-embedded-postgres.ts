// The embedded default: PGlite persisted in dataDir, served on loopback over the Postgres
// wire protocol so the apps use the same adapter-pg path as production.
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { runMigrations } from "../migrate/run-migrations";
import { lockDataDir } from "./data-dir-lock";

export interface StartEmbeddedPostgresOptions {
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL; every connection shares one session running as conclave_app. */
  url: string;
  appliedMigrations: string[];
  stop(): Promise<void>;
}

const ownerRole = "conclave_owner";
const appRole = "conclave_app";

// PGlite is a single PostgreSQL session behind every socket connection, and its
// session user is always the superuser `postgres` (connection user names are ignored).
// Privileges are enforced for the current role, so migrations run as the owner and the
// apps as the restricted role; since SET ROLE is session-wide this guards against
// mistakes, not against code that deliberately issues RESET ROLE.
const provisionSql = `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ownerRole}') THEN CREATE ROLE ${ownerRole} LOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appRole}') THEN CREATE ROLE ${appRole} LOGIN; END IF;
END $$;
GRANT CREATE ON DATABASE postgres TO ${ownerRole};
ALTER SCHEMA public OWNER TO ${ownerRole};
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${appRole};`;

/**
 * Opens (creating on first run) the embedded database, applies migrations and serves it
 * on host:port. Throws DataDirInUseError when another live process holds the directory.
 */
export async function startEmbeddedPostgres({
  dataDir,
  host = "127.0.0.1",
  port = 0,
  migrationsDir,
  log = () => undefined,
}: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const directory = path.resolve(dataDir);
  await mkdir(path.dirname(directory), { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(directory);
  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await chmod(directory, 0o700);
    db = await PGlite.create(directory);
    await db.exec(provisionSql);
    // One connection broke for good after a unique-constraint error; several keep the apps going.
    server = new PGLiteSocketServer({ db, host, port, maxConnections: 32 });
    await server.start();
    const actualPort = Number(server.getServerConn().split(":").at(-1));
    const url = `postgres://${appRole}@${host}:${actualPort}/postgres`;
    await db.exec(`SET ROLE ${ownerRole}`);
    const { applied } = await runMigrations({
      url,
      migrationsDir,
      appRole,
      log,
    });
    await db.exec(`SET ROLE ${appRole}`);
    const openDb = db;
    const openServer = server;
    let stopped = false;
    return {
      url,
      appliedMigrations: applied,
      async stop() {
        if (stopped) return;
        stopped = true;
        await openServer.stop();
        await openDb.close();
        await lock.release();
      },
    };
  } catch (error) {
    await server?.stop();
    await db?.close();
    await lock.release();
    throw error;
  }
}
