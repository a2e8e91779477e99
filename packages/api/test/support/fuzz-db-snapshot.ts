import pg from "pg";

export type DatabaseSnapshot = {
  /** Row count and a digest of every row, per table. */
  tables: Record<string, { rows: number; digest: string }>;
  auditHead: { seq: string; hash: string } | null;
  securityEventKinds: Record<string, number>;
};

export type DatabaseSnapshotter = {
  take(): Promise<DatabaseSnapshot>;
  close(): Promise<void>;
};

// Read as superuser, outside the application role, so the snapshot sees every table
// whatever its grants. Rows are digested in full: an UPDATE on bad input (a revoked
// session, a bumped counter) changes a digest even when no count moves. Timestamps
// the services write come from the test clock, which the fuzz never moves.
export async function createDatabaseSnapshotter(
  superuserUrl: string,
): Promise<DatabaseSnapshotter> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  const listed = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        AND table_name <> '_prisma_migrations'
      ORDER BY table_name`,
  );
  const names = listed.rows.map((row) => row.name);
  if (!names.includes("AuditEvent") || !names.includes("SecurityEvent"))
    throw new Error(`unexpected schema: ${names.join(", ")}`);
  const digestQuery = names
    .map(
      (name) =>
        `SELECT ${client.escapeLiteral(name)} AS name, count(*)::int AS rows,
                md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
           FROM ${client.escapeIdentifier(name)} t`,
    )
    .join(" UNION ALL ");
  return {
    async take() {
      const digests = await client.query<{ name: string; rows: number; digest: string }>(
        digestQuery,
      );
      const head = await client.query<{ seq: string; hash: string }>(
        `SELECT seq::text AS seq, hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1`,
      );
      const kinds = await client.query<{ kind: string; n: number }>(
        `SELECT kind, count(*)::int AS n FROM "SecurityEvent" GROUP BY kind ORDER BY kind`,
      );
      return {
        tables: Object.fromEntries(
          digests.rows.map((row) => [row.name, { rows: row.rows, digest: row.digest }]),
        ),
        auditHead: head.rows[0] ?? null,
        securityEventKinds: Object.fromEntries(kinds.rows.map((row) => [row.kind, row.n])),
      };
    },
    async close() {
      await client.end();
    },
  };
}
