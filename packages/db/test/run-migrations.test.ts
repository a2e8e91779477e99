import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultMigrationsDir, MigrationError, runMigrations } from "../src/migrate/run-migrations";
import { createTestDatabase, type TestDatabase } from "../src/testing/create-test-database";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function migrationsDirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("runMigrations on the real migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("applies every migration once, even with concurrent runners, in Prisma's table format", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => runMigrations({ url: db.ownerUrl, appRole: "conclave_app" })),
    );
    const expected = (await import("node:fs"))
      .readdirSync(defaultMigrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(results.flatMap((result) => result.applied).sort()).toEqual(expected);

    const rows = await query<{
      migration_name: string;
      checksum: string;
      steps: number;
      finished: boolean;
    }>(
      db.ownerUrl,
      `SELECT migration_name, checksum, applied_steps_count AS steps, finished_at IS NOT NULL AS finished
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(expected);
    for (const row of rows) {
      const bytes = await readFile(
        path.join(defaultMigrationsDir, row.migration_name, "migration.sql"),
      );
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.steps).toBe(1);
      expect(row.finished).toBe(true);
    }

    const columns = await query(
      db.ownerUrl,
      `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      {
        column_name: "id",
        data_type: "character varying",
        len: 36,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "checksum",
        data_type: "character varying",
        len: 64,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        len: 255,
        is_nullable: "NO",
        column_default: null,
      },
      {
        column_name: "logs",
        data_type: "text",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "YES",
        column_default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        len: null,
        is_nullable: "NO",
        column_default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        len: null,
        is_nullable: "NO",
        column_default: "0",
      },
    ]);

    expect(await runMigrations({ url: db.ownerUrl, appRole: "conclave_app" })).toEqual({
      applied: [],
    });
  });

  it("leaves the application role unable to run DDL or touch the migration history", async () => {
    const attempts = [
      'CREATE TABLE "Intruder" (id int)',
      'ALTER TABLE "User" ADD COLUMN "x" int',
      'DROP TABLE "User"',
      'TRUNCATE "User"',
      "SELECT * FROM _prisma_migrations",
      'CREATE INDEX "i" ON "User" ("email")',
    ];
    for (const sql of attempts) {
      await expect(query(db.appUrl, sql), sql).rejects.toMatchObject({ code: "42501" });
    }
    // ...while ordinary DML works.
    await query(
      db.appUrl,
      `INSERT INTO "User" (id, email, "passwordHash", role, "updatedAt")
       VALUES (gen_random_uuid(), 'a@example.test', 'x', 'ADMIN', now())`,
    );
    await query(db.appUrl, `UPDATE "User" SET "passwordHash" = 'y' WHERE email = 'a@example.test'`);
    await query(db.appUrl, `DELETE FROM "User" WHERE email = 'a@example.test'`);
    const owner = await query<{ owner: string }>(
      db.ownerUrl,
      `SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'User'`,
    );
    expect(owner).toEqual([{ owner: "conclave_owner" }]);
  });
});

describe("runMigrations refusing an untrustworthy history", () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase({ migrate: false });
    return async () => {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    };
  });

  it("records a failed migration, rolls its changes back and refuses until it is resolved", async () => {
    dir = await migrationsDirWith({
      "20260101000000_one": "CREATE TABLE one (id int);",
      "20260101000001_two": "CREATE TABLE two (id int);\nSELECT no_such_function();",
    });
    await expect(runMigrations({ url: db.ownerUrl, migrationsDir: dir })).rejects.toThrow(
      /migration 20260101000001_two failed/,
    );
    const rows = await query<{ migration_name: string; finished: boolean; logs: string | null }>(
      db.ownerUrl,
      "SELECT migration_name, finished_at IS NOT NULL AS finished, logs FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((row) => [row.migration_name, row.finished])).toEqual([
      ["20260101000000_one", true],
      ["20260101000001_two", false],
    ]);
    expect(rows[1]?.logs).toMatch(/no_such_function/);
    expect(await query(db.ownerUrl, "SELECT to_regclass('two') AS t")).toEqual([{ t: null }]);

    // Fixing the file is not enough: the failed record must be resolved first.
    await writeFile(
      path.join(dir, "20260101000001_two", "migration.sql"),
      "CREATE TABLE two (id int);",
    );
    const refusal = runMigrations({ url: db.ownerUrl, migrationsDir: dir });
    await expect(refusal).rejects.toBeInstanceOf(MigrationError);
    await expect(refusal).rejects.toMatchObject({ migrationName: "20260101000001_two" });

    await query(
      db.ownerUrl,
      "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL",
    );
    expect(await runMigrations({ url: db.ownerUrl, migrationsDir: dir })).toEqual({
      applied: ["20260101000001_two"],
    });
  });

  it("refuses when an applied migration's file changed", async () => {
    dir = await migrationsDirWith({ "20260101000000_one": "CREATE TABLE one (id int);" });
    await runMigrations({ url: db.ownerUrl, migrationsDir: dir });
    await writeFile(
      path.join(dir, "20260101000000_one", "migration.sql"),
      "CREATE TABLE one (id bigint);",
    );
    await mkdir(path.join(dir, "20260101000001_two"));
    await writeFile(
      path.join(dir, "20260101000001_two", "migration.sql"),
      "CREATE TABLE two (id int);",
    );
    await expect(runMigrations({ url: db.ownerUrl, migrationsDir: dir })).rejects.toThrow(
      /migration 20260101000000_one was modified after it was applied/,
    );
    expect(await query(db.ownerUrl, "SELECT to_regclass('two') AS t")).toEqual([{ t: null }]);
  });

  it("runs function bodies containing semicolons as one script", async () => {
    dir = await migrationsDirWith({});
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await runMigrations({ url: db.ownerUrl, migrationsDir: dir });
    const triggers = await query<{ tgname: string }>(
      db.ownerUrl,
      `SELECT tgname FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((row) => row.tgname)).toEqual([
      "AuditEvent_no_truncate",
      "AuditEvent_no_update_delete",
    ]);
  });
});
