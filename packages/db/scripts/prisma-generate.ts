// Runs `prisma generate` without letting the CLI fetch a native schema engine,
// so it behaves the same offline and on a machine with internet access.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const here = import.meta.dirname;
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(
  process.execPath,
  [prismaCli, "generate", "--config", path.join(here, "../prisma.config.ts")],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: path.join(here, "schema-engine-stub.sh"),
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
    },
  },
);
process.exit(result.status ?? 1);
