import type { DbTransaction } from "@conclave/db/create-prisma-client";

export interface SnapshotFacts {
  /** pg_export_snapshot(): pg_dump reads exactly what these facts describe. */
  readonly snapshotId: string;
  readonly serverMajor: number;
  readonly serverVersion: string;
  readonly migrations: readonly string[];
  readonly auditHead: { seq: string; hash: string } | null;
  readonly rowCounts: Readonly<Record<string, number>>;
}

/** Row counts of every table in the public schema, as this transaction sees them. */
export async function countRows(tx: DbTransaction): Promise<Record<string, number>> {
  const tables = await tx.$queryRaw<{ name: string }[]>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const [row] = await tx.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM public.${quoted}`,
    );
    counts[name] = Number(row?.n ?? 0n);
  }
  return counts;
}

export async function appliedMigrations(tx: DbTransaction): Promise<string[]> {
  const rows = await tx.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM _prisma_migrations
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`;
  return rows.map((row) => row.name);
}

export async function auditHead(tx: DbTransaction): Promise<{ seq: string; hash: string } | null> {
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`;
  return head === undefined ? null : { seq: head.seq.toString(), hash: head.hash };
}

/**
 * Exports the snapshot of `tx` (a REPEATABLE READ transaction that must stay open while
 * pg_dump imports it) and reads, in that same snapshot, what the manifest records.
 */
export async function readSnapshotFacts(tx: DbTransaction): Promise<SnapshotFacts> {
  const [exported] = await tx.$queryRaw<{ id: string }[]>`SELECT pg_export_snapshot() AS id`;
  const [server] = await tx.$queryRaw<{ num: string; version: string }[]>`
    SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`;
  if (exported === undefined || server === undefined) {
    throw new Error("backup: the database did not export a snapshot");
  }
  return {
    snapshotId: exported.id,
    serverMajor: Math.floor(Number(server.num) / 10000),
    serverVersion: server.version,
    migrations: await appliedMigrations(tx),
    auditHead: await auditHead(tx),
    rowCounts: await countRows(tx),
  };
}
