import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

function run(script: string, args: string[]) {
  const result = spawnSync(tsx, [path.join(root, "packages/db/scripts", script), ...args], {
    cwd: root,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("db:drift and db:migrate:create", () => {
  let work: string;
  let schemaPath: string;
  let migrationsDir: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "conclave-drift-"));
    schemaPath = path.join(work, "schema.prisma");
    migrationsDir = path.join(work, "migrations");
    await cp(path.join(root, "prisma/migrations"), migrationsDir, { recursive: true });
    const schema = await readFile(path.join(root, "prisma/schema.prisma"), "utf8");
    const edited = schema.replace(/model User \{\n/, "model User {\n  nickname String?\n");
    expect(edited).not.toBe(schema);
    await writeFile(schemaPath, edited);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("passes for the committed schema and migrations", { timeout: 180_000 }, () => {
    const result = run("drift.ts", []);
    expect(result.output).toContain("agree");
    expect(result.status).toBe(0);
  });

  it(
    "reports a schema change without a migration, then accepts it once created",
    { timeout: 300_000 },
    async () => {
      const drift = run("drift.ts", ["--schema", schemaPath, "--migrations", migrationsDir]);
      expect(drift.status).toBe(1);
      expect(drift.output).toMatch(/Changed the `User` table[\s\S]*Added column `nickname`/);

      const created = run("migrate-create.ts", [
        "add_nickname",
        "--schema",
        schemaPath,
        "--migrations",
        migrationsDir,
      ]);
      expect(created.status).toBe(0);
      const newest = (await readdir(migrationsDir)).filter((name) =>
        name.endsWith("_add_nickname"),
      );
      expect(newest).toHaveLength(1);
      const script = await readFile(
        path.join(migrationsDir, newest[0] ?? "", "migration.sql"),
        "utf8",
      );
      expect(script).toContain('ALTER TABLE "User" ADD COLUMN     "nickname" TEXT');

      expect(run("drift.ts", ["--schema", schemaPath, "--migrations", migrationsDir]).status).toBe(
        0,
      );
    },
  );
});
