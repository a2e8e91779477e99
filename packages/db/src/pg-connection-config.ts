import { readFileSync } from "node:fs";
import type { ClientConfig } from "pg";

export interface PgConnectionOptions {
  url: string;
  /** PEM CA bundle to verify the server certificate against (DATABASE_CA_FILE). */
  caFile?: string;
}

// node-postgres lets any sslmode in the URL replace an explicit `ssl` object, which would
// silently drop the CA; with a CA file the TLS settings come from here alone.
const urlTlsParameters = ["sslmode", "sslrootcert", "sslcert", "sslkey", "uselibpqcompat"];

/** node-postgres connection settings for a URL, verifying the server against caFile when given. */
export function pgConnectionConfig({ url, caFile }: PgConnectionOptions): ClientConfig {
  if (caFile === undefined) return { connectionString: url };
  const parsed = new URL(url);
  for (const name of urlTlsParameters) parsed.searchParams.delete(name);
  return {
    connectionString: parsed.toString(),
    ssl: { ca: readFileSync(caFile, "utf8"), rejectUnauthorized: true },
  };
}
