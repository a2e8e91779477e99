// The compiled production build (`npm run build`), made once per test run: the first
// test file to ask builds under the same lock `npm start` takes; later ones find turbo's
// cache and return at once.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { withBuildLock } from "../../scripts/start/build-lock";

const root = path.resolve(import.meta.dirname, "../..");

export const productionEntryPoints = {
  wsServer: path.join(root, "apps/ws-server/dist/standalone/apps/ws-server/main.mjs"),
  cli: path.join(root, "apps/ws-server/dist/standalone/apps/ws-server/conclave.mjs"),
  web: path.join(root, "apps/web/.next/standalone/apps/web/server.mjs"),
};

export async function ensureProductionBuild(): Promise<typeof productionEntryPoints> {
  const build = await withBuildLock(root, () =>
    spawnSync("npm", ["run", "build", "--silent"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "production" },
      timeout: 900_000,
    }),
  );
  if (build.status !== 0) {
    throw new Error(
      `npm run build failed:\n${build.stdout.slice(-4000)}${build.stderr.slice(-4000)}`,
    );
  }
  return productionEntryPoints;
}
