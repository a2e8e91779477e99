// Creates the two roles and the database Conclave expects, idempotently. Run with a
// superuser URL (tests, embedded start); operators can run the SQL in packages/db/README.md.
import pg from "pg";

export interface ProvisionDatabaseOptions {
  /** A superuser (or CREATEROLE + CREATEDB) URL on the target cluster. */
  superuserUrl: string;
  database: string;
  ownerRole?: string;
  appRole?: string;
  /** Set (or reset) the role passwords; omitted means leave any existing password alone. */
  ownerPassword?: string;
  appPassword?: string;
}

export interface ProvisionedDatabase {
  /** Owner-role URL: runs migrations (DATABASE_MIGRATION_URL). */
  ownerUrl: string;
  /** Application-role URL: DML only (DATABASE_URL). */
  appUrl: string;
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;
// Serialises concurrent provisioning (parallel test workers) across the cluster.
const provisionLockKey = 0x636f6e63;

function checkIdentifier(kind: string, value: string): void {
  if (!identifierPattern.test(value)) throw new Error(`invalid ${kind} name: ${value}`);
}

function roleUrl(baseUrl: string, database: string, role: string, password?: string): string {
  const url = new URL(baseUrl);
  url.username = role;
  url.password = password ?? "";
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureRole(
  client: pg.Client,
  role: string,
  password: string | undefined,
): Promise<void> {
  const name = client.escapeIdentifier(role);
  const found = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  const attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
  await client.query(
    `${found.rowCount === 0 ? "CREATE" : "ALTER"} ROLE ${name} WITH ${attributes}`,
  );
  if (password !== undefined) {
    await client.query(`ALTER ROLE ${name} WITH PASSWORD ${client.escapeLiteral(password)}`);
  }
}

/** Ensures owner role, app role and database exist with Conclave's privilege split. */
export async function provisionDatabase({
  superuserUrl,
  database,
  ownerRole = "conclave_owner",
  appRole = "conclave_app",
  ownerPassword,
  appPassword,
}: ProvisionDatabaseOptions): Promise<ProvisionedDatabase> {
  checkIdentifier("database", database);
  checkIdentifier("owner role", ownerRole);
  checkIdentifier("app role", appRole);
  await withClient(superuserUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [provisionLockKey]);
    try {
      await ensureRole(client, ownerRole, ownerPassword);
      await ensureRole(client, appRole, appPassword);
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (found.rowCount === 0) {
        await client.query(
          `CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${client.escapeIdentifier(ownerRole)}`,
        );
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [provisionLockKey]);
    }
  });
  const superuserOnDatabase = new URL(superuserUrl);
  superuserOnDatabase.pathname = `/${database}`;
  await withClient(superuserOnDatabase.toString(), async (client) => {
    const db = client.escapeIdentifier(database);
    const owner = client.escapeIdentifier(ownerRole);
    const app = client.escapeIdentifier(appRole);
    await client.query(`ALTER DATABASE ${db} OWNER TO ${owner};
ALTER SCHEMA public OWNER TO ${owner};
REVOKE ALL ON DATABASE ${db} FROM PUBLIC;
GRANT CONNECT ON DATABASE ${db} TO ${app};
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${app};`);
  });
  return {
    ownerUrl: roleUrl(superuserUrl, database, ownerRole, ownerPassword),
    appUrl: roleUrl(superuserUrl, database, appRole, appPassword),
  };
}
