// A fresh, migrated database per test file, on the cluster named by DATABASE_URL
// (a superuser URL; `npm test` provides one).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { runMigrations } from "../migrate/run-migrations";
import { provisionDatabase } from "../roles/provision-database";

export interface TestDatabase {
  database: string;
  /** Owner role: owns the tables, may run DDL. */
  ownerUrl: string;
  /** Application role: DML only, what the apps use. */
  appUrl: string;
  /** The superuser URL pointed at this database. */
  superuserUrl: string;
  drop(): Promise<void>;
}

// Fixed, test-only credentials: roles are cluster-wide and shared by parallel workers.
const testOwnerPassword = "conclave-test-owner";
const testAppPassword = "conclave-test-app";

export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === "") {
    throw new Error(
      "DATABASE_URL (a PostgreSQL superuser URL) is required for database tests; run `npm test`",
    );
  }
  const database = `conclave_test_${randomBytes(6).toString("hex")}`;
  const { ownerUrl, appUrl } = await provisionDatabase({
    superuserUrl: adminUrl,
    database,
    ownerPassword: testOwnerPassword,
    appPassword: testAppPassword,
  });
  if (options.migrate !== false) await runMigrations({ url: ownerUrl, appRole: "conclave_app" });
  const superuserUrl = new URL(adminUrl);
  superuserUrl.pathname = `/${database}`;
  return {
    database,
    ownerUrl,
    appUrl,
    superuserUrl: superuserUrl.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(
          `DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`,
        );
      } finally {
        await client.end();
      }
    },
  };
}
