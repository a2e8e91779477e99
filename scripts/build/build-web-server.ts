// Runs after `next build` (output: "standalone"): compiles the console's custom server
// (apps/web/server.ts: TLS, the redirect, bans before Next) into the standalone tree in
// place of Next's own server.js, which would serve plain HTTP without those checks.
//   node <distDir>/standalone/apps/web/server.mjs
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bundleStandalone, repositoryRoot } from "./bundle-standalone";

const appDir = path.join(repositoryRoot, "apps/web");
const distDir = process.env.CONCLAVE_WEB_DIST_DIR ?? ".next";
const outRoot = path.join(appDir, distDir, "standalone");
const builtDir = path.join(outRoot, "apps/web", distDir);

// Next's standalone server embeds the configuration the build used, since there is no
// next.config.ts to load at run time; the compiled server does the same.
const { config } = JSON.parse(
  readFileSync(path.join(appDir, distDir, "required-server-files.json"), "utf8"),
) as { config: unknown };

rmSync(path.join(outRoot, "apps/web/server.js"), { force: true });
await bundleStandalone({
  app: "apps/web",
  entryPoints: { server: "server.ts" },
  outRoot,
  define: { "process.env.CONCLAVE_BUILT_NEXT_CONFIG": JSON.stringify(JSON.stringify(config)) },
});
// Next leaves the static assets out of the standalone tree for a CDN to serve.
cpSync(path.join(appDir, distDir, "static"), path.join(builtDir, "static"), { recursive: true });
if (existsSync(path.join(appDir, "public"))) {
  cpSync(path.join(appDir, "public"), path.join(outRoot, "apps/web/public"), { recursive: true });
}
