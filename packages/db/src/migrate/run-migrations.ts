// Applies prisma/migrations/*/migration.sql at start-up, recording each one in Prisma's
// own `_prisma_migrations` table exactly as `prisma migrate deploy` does, so either tool
// accepts the other's history.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { pgConnectionConfig } from "../pg-connection-config";

export const defaultMigrationsDir = path.resolve(
  import.meta.dirname,
  "../../../../prisma/migrations",
);

// The key Prisma's schema engine locks on, so this runner and `prisma migrate deploy`
// also exclude each other.
const prismaMigrateLockKey = 72707369;

// Byte for byte the statement Prisma's PostgreSQL connector runs.
const createMigrationsTable = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

const appendOnlyTables = ["AuditEvent"];

export interface RunMigrationsOptions {
  /** Owner-role URL (DATABASE_MIGRATION_URL): the role that owns the schema. */
  url: string;
  caFile?: string;
  migrationsDir?: string;
  /** Restricted role to grant DML on every table afterwards (e.g. conclave_app). */
  appRole?: string;
  log?: (message: string) => void;
}

export interface RunMigrationsResult {
  applied: string[];
}

/** Raised when the history cannot be trusted; the message names the migration. */
export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly migrationName: string,
  ) {
    super(message);
  }
}

interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(migrationsDir, name, "migration.sql"));
      return {
        name,
        script: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    }),
  );
}

const roleNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

async function grantApplicationRole(client: pg.Client, role: string): Promise<void> {
  if (!roleNamePattern.test(role)) throw new Error(`invalid application role name: ${role}`);
  const app = client.escapeIdentifier(role);
  const appendOnly = appendOnlyTables.map((table) => client.escapeIdentifier(table)).join(", ");
  // One transaction, so a running app never sees its privileges missing.
  await client.query("BEGIN");
  try {
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${app};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${app};
GRANT USAGE ON SCHEMA public TO ${app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app};
REVOKE ALL ON _prisma_migrations FROM ${app};
REVOKE UPDATE, DELETE ON ${appendOnly} FROM ${app};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${app};`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

function checkHistory(
  rows: MigrationRow[],
  files: MigrationFile[],
  log: (m: string) => void,
): Set<string> {
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed or was interrupted; fix the database, then mark it with ` +
          "`prisma migrate resolve --rolled-back` (or --applied) before migrating again",
        row.migration_name,
      );
    }
    const file = byName.get(row.migration_name);
    if (file === undefined) {
      log(`applied migration ${row.migration_name} is not in the migrations directory`);
    } else if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied (checksum mismatch); ` +
          "restore the original file and add a new migration instead",
        row.migration_name,
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

async function applyMigration(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query(
    "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)",
    [id, migration.checksum, migration.name],
  );
  try {
    await client.query("BEGIN");
    // No parameters: the simple-query protocol runs the whole multi-statement script.
    await client.query(migration.script);
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1",
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [reason, id]);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`, migration.name);
  }
}

/** Applies pending migrations under Prisma's advisory lock, then grants the app role DML. */
export async function runMigrations({
  url,
  caFile,
  migrationsDir = defaultMigrationsDir,
  appRole,
  log = () => undefined,
}: RunMigrationsOptions): Promise<RunMigrationsResult> {
  const files = await readMigrations(migrationsDir);
  const client = new pg.Client(pgConnectionConfig({ url, caFile }));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [prismaMigrateLockKey]);
    try {
      const exists = await client.query<{ present: boolean }>(
        "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present",
      );
      if (exists.rows[0]?.present !== true) await client.query(createMigrationsTable);
      const rows = await client.query<MigrationRow>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at ASC",
      );
      const done = checkHistory(rows.rows, files, log);
      const applied: string[] = [];
      for (const migration of files) {
        if (done.has(migration.name)) continue;
        log(`applying migration ${migration.name}`);
        await applyMigration(client, migration);
        applied.push(migration.name);
      }
      if (appRole !== undefined) await grantApplicationRole(client, appRole);
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [prismaMigrateLockKey]);
    }
  } finally {
    await client.end();
  }
}
