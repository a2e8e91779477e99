import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { fail, pass, type CheckResult } from "./doctor-check";

export async function checkDatabaseTls(prisma: PrismaClient): Promise<CheckResult> {
  const item = "TLS to PostgreSQL";
  const rows = await prisma.$queryRaw<{ ssl: boolean; version: string | null }[]>`
    SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
  const row = rows[0];
  if (row?.ssl !== true) return fail(item, "this connection is not encrypted");
  return pass(item, `encrypted (${row.version ?? "unknown version"})`);
}

/**
 * The apps' role may read and write rows but not change the schema, and never rewrite
 * the audit chain: no superuser, not the tables' owner, no UPDATE/DELETE/TRUNCATE there.
 */
export async function checkDatabaseRole(prisma: PrismaClient): Promise<CheckResult> {
  const item = "database role: DML only, audit rows append-only";
  const rows = await prisma.$queryRaw<
    {
      role: string;
      superuser: boolean;
      createrole: boolean;
      createdb: boolean;
      owns_audit: boolean;
      can_update: boolean;
      can_delete: boolean;
      can_truncate: boolean;
    }[]
  >`
    SELECT current_user AS role, r.rolsuper AS superuser, r.rolcreaterole AS createrole,
           r.rolcreatedb AS createdb,
           (SELECT tableowner FROM pg_tables WHERE tablename = 'AuditEvent') = current_user AS owns_audit,
           has_table_privilege('"AuditEvent"', 'UPDATE') AS can_update,
           has_table_privilege('"AuditEvent"', 'DELETE') AS can_delete,
           has_table_privilege('"AuditEvent"', 'TRUNCATE') AS can_truncate
    FROM pg_roles r WHERE r.rolname = current_user`;
  const row = rows[0];
  if (row === undefined) return fail(item, "the connected role is not in pg_roles");
  const problems = [
    row.superuser ? "is a superuser" : undefined,
    row.createrole ? "may create roles" : undefined,
    row.createdb ? "may create databases" : undefined,
    row.owns_audit ? "owns the tables (use the owner only for migrations)" : undefined,
    row.can_update ? "may UPDATE audit rows" : undefined,
    row.can_delete ? "may DELETE audit rows" : undefined,
    row.can_truncate ? "may TRUNCATE the audit table" : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) return fail(item, `role ${row.role} ${problems.join(", ")}`);
  return pass(item, `role ${row.role}: no superuser, no DDL ownership, audit rows append-only`);
}
