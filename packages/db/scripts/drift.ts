// `npm run db:drift [-- --schema <path>] [--migrations <dir>]`: exits 1 when schema.prisma
// and the migrations disagree, printing what a new migration would change.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  defaultMigrationsDir,
  defaultSchemaPath,
  migrationsSource,
  noFilters,
  schemaFiles,
  withSchemaEngine,
} from "./schema-engine";

const { values } = parseArgs({
  options: { schema: { type: "string" }, migrations: { type: "string" } },
});
const schemaPath = path.resolve(values.schema ?? defaultSchemaPath);
const migrationsDir = path.resolve(values.migrations ?? defaultMigrationsDir);

const result = await withSchemaEngine(schemaPath, async (engine) =>
  engine.diff({
    from: await migrationsSource(migrationsDir),
    to: { tag: "schemaDatamodel", ...schemaFiles(schemaPath, await readFile(schemaPath, "utf8")) },
    script: false,
    exitCode: true,
    filters: noFilters,
  }),
);

if (result.exitCode === 0) {
  console.log("db:drift: schema.prisma and prisma/migrations agree.");
  process.exit(0);
}
console.error("db:drift: schema.prisma differs from prisma/migrations. A new migration would:\n");
console.error(result.stdout);
console.error("\nRun `npm run db:migrate:create -- <name>` and commit the migration.");
process.exit(1);
