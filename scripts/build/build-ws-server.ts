// `npm run build -w @conclave/ws-server`: the signing server and the operator CLI as a
// standalone tree under apps/ws-server/dist/standalone (see bundle-standalone.ts).
//   node dist/standalone/apps/ws-server/main.mjs       the server
//   node dist/standalone/apps/ws-server/conclave.mjs   the CLI
import { rmSync } from "node:fs";
import path from "node:path";
import { bundleStandalone, copyIntoStandalone, repositoryRoot } from "./bundle-standalone";

const outRoot = path.join(repositoryRoot, "apps/ws-server/dist/standalone");
rmSync(outRoot, { recursive: true, force: true });
await bundleStandalone({
  app: "apps/ws-server",
  entryPoints: { main: "src/main.ts", conclave: "src/cli/conclave.ts" },
  outRoot,
});
// Applied at start when DATABASE_MIGRATION_URL is set.
copyIntoStandalone("prisma/migrations", outRoot);
