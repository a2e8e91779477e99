import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
const webDir = path.join(root, "apps/web");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name === ".next")
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// The suites drive the production build; it is rebuilt only when a source it
// bundles (the app or any workspace package) is newer than the last build.
export function ensureWebBuild(): void {
  const buildId = path.join(webDir, ".next/BUILD_ID");
  const sources = [
    path.join(webDir, "src"),
    ...readdirSync(path.join(root, "packages")).map((name) =>
      path.join(root, "packages", name, "src"),
    ),
  ].filter((dir) => existsSync(dir));
  const newestSource = Math.max(
    statSync(path.join(webDir, "next.config.ts")).mtimeMs,
    ...sources.map(newestMtime),
  );
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSource) return;
  execFileSync("npm", ["run", "build", "-w", "@conclave/web"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    timeout: 600_000,
  });
}
