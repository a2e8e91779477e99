import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { childProcessEnv } from "@conclave/config/child-process-env";

const run = promisify(execFile);

export interface PostgresTools {
  readonly pgDump: string;
  readonly pgRestore: string;
  /** e.g. "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" */
  readonly version: string;
}

export class PostgresToolsError extends Error {
  override name = "PostgresToolsError";
}

async function majorOf(binary: string): Promise<{ major: number; version: string }> {
  const { stdout } = await run(binary, ["--version"]);
  const version = stdout.trim();
  const match = /\(PostgreSQL\) (\d+)/u.exec(version);
  if (match?.[1] === undefined)
    throw new PostgresToolsError(`cannot read the version of ${binary}`);
  return { major: Number(match[1]), version };
}

/**
 * pg_dump and pg_restore of the server's own major version: a newer pg_dump writes
 * archives an older pg_restore cannot read, and an older one refuses a newer server.
 * They come from POSTGRES_BIN_DIR, else Debian's /usr/lib/postgresql/<major>/bin
 * (postgresql-client-<major>); the embedded default's npm binaries have no pg_dump.
 */
export async function findPostgresTools(
  serverMajor: number,
  binDir: string | undefined,
): Promise<PostgresTools> {
  const dir = binDir ?? `/usr/lib/postgresql/${serverMajor}/bin`;
  const pgDump = path.join(dir, "pg_dump");
  const pgRestore = path.join(dir, "pg_restore");
  if (!existsSync(pgDump) || !existsSync(pgRestore)) {
    throw new PostgresToolsError(
      `pg_dump and pg_restore ${serverMajor} not found in ${dir}: install postgresql-client-${serverMajor} or set POSTGRES_BIN_DIR`,
    );
  }
  const dump = await majorOf(pgDump);
  const restore = await majorOf(pgRestore);
  if (dump.major !== serverMajor || restore.major !== serverMajor) {
    throw new PostgresToolsError(
      `${dir} holds PostgreSQL ${dump.major} tools but the server runs ${serverMajor}: point POSTGRES_BIN_DIR at version ${serverMajor}`,
    );
  }
  return { pgDump, pgRestore, version: dump.version };
}

/**
 * libpq's environment for a connection URL, so the password never appears on a command
 * line (where `ps` shows it). A CA file turns on full verification.
 */
export function libpqEnvironment(url: string, caFile: string | undefined): Record<string, string> {
  const parsed = new URL(url);
  const env: Record<string, string> = {
    PGHOST: parsed.searchParams.get("host") ?? parsed.hostname,
    PGPORT: parsed.port === "" ? "5432" : parsed.port,
    PGUSER: decodeURIComponent(parsed.username),
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
    PGAPPNAME: "conclave-backup",
    PGCONNECT_TIMEOUT: "10",
  };
  const sslmode = parsed.searchParams.get("sslmode");
  const rootCert = parsed.searchParams.get("sslrootcert") ?? caFile;
  if (sslmode !== null) env.PGSSLMODE = sslmode;
  else if (caFile !== undefined) env.PGSSLMODE = "verify-full";
  if (rootCert !== undefined) env.PGSSLROOTCERT = rootCert;
  return env;
}

/** The process environment without any PG* variable the operator's shell may carry. */
export function withLibpqEnvironment(libpq: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("PG")),
  );
  return childProcessEnv({ ...base, ...libpq });
}
