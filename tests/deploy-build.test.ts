// The compiled production build: plain `node` runs it, it ships no dev-only package, and
// both apps refuse to run as root in production.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "./support/deploy-app-process";
import { ensureProductionBuild, productionEntryPoints } from "./support/production-build";

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function runEntry(
  entry: string,
  env: AppEnv,
  uid?: number,
): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [entry], {
    cwd: path.dirname(entry),
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 60_000,
    ...(uid === undefined ? {} : { uid, gid: NOBODY }),
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe("the compiled production build", () => {
  beforeAll(async () => {
    await ensureProductionBuild();
  }, 900_000);

  it("emits the server, the CLI and the console's compiled custom server", () => {
    for (const entry of Object.values(productionEntryPoints)) expect(existsSync(entry)).toBe(true);
    // Next's own standalone server.js would serve plain HTTP without the ban and TLS front.
    expect(existsSync(path.join(path.dirname(productionEntryPoints.web), "server.js"))).toBe(false);
  });

  it("ships its runtime packages beside the bundles and no dev-only one", () => {
    for (const tree of [
      path.resolve(productionEntryPoints.wsServer, "../../.."),
      path.resolve(productionEntryPoints.web, "../../.."),
    ]) {
      const packages = readdirSync(path.join(tree, "node_modules"));
      expect(packages).toEqual(expect.arrayContaining(["pg", "pino", "@prisma", "@node-rs"]));
      for (const devOnly of ["tsx", "typescript", "esbuild", "vitest", "eslint"]) {
        expect(packages).not.toContain(devOnly);
      }
    }
    expect(
      existsSync(path.resolve(productionEntryPoints.wsServer, "../../../prisma/migrations")),
    ).toBe(true);
  });

  it("runs the CLI with plain node", () => {
    const { status, stderr } = runEntry(productionEntryPoints.cli, { NODE_ENV: "production" });
    expect(stderr).toContain("usage: npm run conclave -- <command>");
    expect(status).toBe(2);
  });

  it.each([
    ["ws-server", productionEntryPoints.wsServer],
    ["web", productionEntryPoints.web],
  ])("%s validates its configuration with plain node, naming variables", (_, entry) => {
    const { status, stderr } = runEntry(
      entry,
      { NODE_ENV: "production" },
      isRoot ? NOBODY : undefined,
    );
    expect(stderr).toContain("Invalid configuration");
    expect(stderr).toContain("DATABASE_URL");
    expect(stderr).not.toContain("refusing to run as root");
    expect(status).toBe(1);
  });

  it.skipIf(!isRoot).each([
    ["ws-server", productionEntryPoints.wsServer],
    ["web", productionEntryPoints.web],
  ])("[platform-only: needs root] %s refuses to run as root in production", (_, entry) => {
    const { status, stderr } = runEntry(entry, { NODE_ENV: "production" });
    expect(stderr).toContain("refusing to run as root with NODE_ENV=production");
    expect(stderr).not.toContain("Invalid configuration");
    expect(status).toBe(1);
  });
});
