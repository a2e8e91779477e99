// `npm run db:migrate:create -- <name> [--schema <path>] [--migrations <dir>]`: writes
// prisma/migrations/<yyyymmddhhmmss>_<name>/migration.sql from the difference between
// the existing migrations and schema.prisma, using Prisma's WASM schema engine.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  migrationsSource,
  migrationLockContent,
  noFilters,
  schemaFiles,
  withSchemaEngine,
} from "./schema-engine";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    schema: { type: "string" },
    migrations: { type: "string" },
    "allow-empty": { type: "boolean" },
  },
});
const name = positionals[0];
if (!name || !/^[a-z0-9_]{1,80}$/.test(name)) {
  console.error(
    "usage: db:migrate:create -- <name>   (name: lowercase letters, digits, underscores)",
  );
  process.exit(1);
}
const schemaPath = path.resolve(values.schema ?? defaultSchemaPath);
const migrationsDir = path.resolve(values.migrations ?? defaultMigrationsDir);

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

const script = await withSchemaEngine(schemaPath, async (engine) => {
  const schema = await readFile(schemaPath, "utf8");
  const result = await engine.diff({
    from: await migrationsSource(migrationsDir),
    to: { tag: "schemaDatamodel", ...schemaFiles(schemaPath, schema) },
    script: true,
    exitCode: true,
    filters: noFilters,
  });
  return result.exitCode === 2 ? result.stdout : null;
});

if (script === null && !values["allow-empty"]) {
  console.log(
    "schema.prisma matches the migrations; nothing to write (use --allow-empty for a hand-written migration).",
  );
  process.exit(0);
}
await mkdir(migrationsDir, { recursive: true });
await writeFile(path.join(migrationsDir, "migration_lock.toml"), migrationLockContent);
const directory = path.join(migrationsDir, `${timestamp(new Date())}_${name}`);
await mkdir(directory);
await writeFile(
  path.join(directory, "migration.sql"),
  script ?? "-- This is an empty migration.\n",
);
console.log(`wrote ${path.relative(process.cwd(), path.join(directory, "migration.sql"))}`);
