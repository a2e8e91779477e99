import type { PrismaClient } from "@conclave/db/create-prisma-client";

export class RestoreTargetNotEmptyError extends Error {
  override name = "RestoreTargetNotEmptyError";
}

/**
 * A restore never merges into or overwrites a database: the target's public schema must
 * hold no table, sequence, view, type or function.
 */
export async function assertEmptyTarget(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ objects: bigint; major: number }[]>`
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public')
         + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0)
         + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public') AS objects,
           current_setting('server_version_num')::int / 10000 AS major`;
  const objects = Number(row?.objects ?? 0n);
  if (objects > 0) {
    throw new RestoreTargetNotEmptyError(
      `the target database is not empty (${objects} objects in schema public): restore only into a newly created, empty database`,
    );
  }
  return row?.major ?? 0;
}
