import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
const webDir = path.join(root, "apps/web");

/** Relative to apps/web; under test-results/, which git ignores. */
export const TEST_DIST_DIR = "test-results/console-next-build";

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

function isStale(buildId: string): boolean {
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
  return !existsSync(buildId) || statSync(buildId).mtimeMs < newestSource;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// One builder at a time across concurrent test runs: an exclusive lock file, taken
// over when it is older than any build could take.
function withBuildLock(run: () => void): void {
  const lock = path.join(webDir, "test-results/console-next-build.lock");
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 900_000) rmSync(lock);
      else sleep(500);
    }
  }
  try {
    run();
  } finally {
    rmSync(lock, { force: true });
  }
}

// The suites drive a production build of their own, rebuilt only when a source it
// bundles (the app or any workspace package) is newer than that build.
export function ensureWebBuild(): void {
  const buildId = path.join(webDir, TEST_DIST_DIR, "BUILD_ID");
  if (!isStale(buildId)) return;
  withBuildLock(() => {
    if (!isStale(buildId)) return;
    execFileSync("npm", ["run", "build", "-w", "@conclave/web"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        CONCLAVE_WEB_DIST_DIR: TEST_DIST_DIR,
      },
      timeout: 600_000,
    });
  });
}
