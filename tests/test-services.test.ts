import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { chromiumTool } from "../scripts/test-services/chromium";
import { withInstallLock } from "../scripts/test-services/install-lock";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";
import { pingRedis } from "../scripts/test-services/redis";
import { summarise, type VitestJsonReport } from "../scripts/test-services/test-summary";
import { testRedisTls } from "../scripts/test-services/test-redis-tls";
import { createRedisClient } from "../packages/api/src/events/create-redis-client";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const racerScript = path.join(root, "tests/support/provision-with-stub-installer.ts");

/** Module code for a process that takes the lock and never lets go. */
function holdLockForever(lockFile: string): string {
  const lock = path.join(root, "scripts/test-services/install-lock.ts");
  return `import { withInstallLock } from ${JSON.stringify(lock)};
await withInstallLock(${JSON.stringify(lockFile)}, () => {
  process.stdout.write("held");
  return new Promise(() => undefined);
});`;
}

// Guards the harness itself: every integration suite relies on these two.
describe("provisioned test services", () => {
  it("reaches PostgreSQL as a superuser", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query<{ superuser: string }>(
        "SELECT current_setting('is_superuser') AS superuser",
      );
      expect(result.rows[0]?.superuser).toBe("on");
    } finally {
      await client.end();
    }
  });

  it("reaches Redis on loopback with its password, and refuses a client without one", async () => {
    const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:0");
    expect(url.password).not.toBe("");
    expect(await pingRedis(Number(url.port), decodeURIComponent(url.password))).toBe(true);
    expect(await pingRedis(Number(url.port))).toBe(false);
  });

  it("reaches the same Redis over TLS verified against the run's CA, and only so", async () => {
    const tls = testRedisTls();
    expect(new URL(tls.url).protocol).toBe("rediss:");
    const verified = createRedisClient(tls, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await verified.connect();
      expect(await verified.ping()).toBe("PONG");
    } finally {
      verified.disconnect();
    }
    // Without the CA the server's certificate is refused, not trusted.
    const unverified = createRedisClient(
      { url: tls.url },
      { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null },
    );
    const errors: string[] = [];
    unverified.on("error", (error: Error) => errors.push(error.message));
    try {
      await expect(unverified.connect()).rejects.toThrow();
      expect(errors.join("\n")).toMatch(/certificate/i);
    } finally {
      unverified.disconnect();
    }
  });
});

describe("provisioning system tools", () => {
  async function racer(lockFile: string, workDir: string, name: string): Promise<unknown> {
    const child = spawn(tsx, [racerScript, lockFile, workDir, name], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`racer ${name} exited ${String(code)}: ${stderr}`);
    return JSON.parse(stdout);
  }

  it("installs once when two processes provision the same missing tool at once", async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), "conclave-provision-"));
    try {
      const installer = path.join(workDir, "stub-installer.sh");
      await writeFile(
        installer,
        `#!/bin/sh\necho "$@" >> "${workDir}/installs.log"\ntouch "${workDir}/installed-tool"\n`,
        { mode: 0o755 },
      );
      const lockFile = path.join(workDir, "provision.lock");
      const results = await Promise.all([
        racer(lockFile, workDir, "a"),
        racer(lockFile, workDir, "b"),
      ]);
      const installed = path.join(workDir, "installed-tool");
      expect(results).toEqual([{ STUB_TOOL: installed }, { STUB_TOOL: installed }]);
      expect(await readFile(path.join(workDir, "installs.log"), "utf8")).toBe("stub-package\n");
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it("frees the lock when its holder is killed mid-install", async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), "conclave-provision-"));
    try {
      const lockFile = path.join(workDir, "provision.lock");
      const holder = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", holdLockForever(lockFile)],
        { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
      );
      await once(holder.stdout, "data");
      holder.kill("SIGKILL");
      await once(holder, "exit");
      expect(await withInstallLock(lockFile, () => Promise.resolve("acquired"), 60)).toBe(
        "acquired",
      );
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it("tells whoever runs vitest directly to use npm test", () => {
    const tool = { pkg: "stub-package", envVar: "CONCLAVE_TEST_NOT_PROVIDED" };
    expect(() => provisionedTool(tool)).toThrow(
      /CONCLAVE_TEST_NOT_PROVIDED is not set: run the tests with 'npm test'/,
    );
  });

  it("hands the console suites the Chromium it provisioned", () => {
    expect(existsSync(provisionedTool(chromiumTool))).toBe(true);
  });
});

describe("the closing line of npm test", () => {
  function report(
    tests: { status: string; title: string; ancestorTitles?: string[] }[],
  ): VitestJsonReport {
    const assertionResults = tests.map((test) => ({
      ancestorTitles: test.ancestorTitles ?? [],
      title: test.title,
      status: test.status,
      fullName: [...(test.ancestorTitles ?? []), test.title].join(" "),
    }));
    const count = (status: string) => tests.filter((test) => test.status === status).length;
    return {
      numPassedTests: count("passed"),
      numFailedTests: count("failed"),
      testResults: [{ status: count("failed") > 0 ? "failed" : "passed", assertionResults }],
    };
  }

  it("counts a skipped or todo test as a failure", () => {
    const summary = summarise(
      report([
        { status: "passed", title: "runs" },
        { status: "skipped", title: "skipped quietly" },
        { status: "todo", title: "later" },
      ]),
      false,
    );
    expect(summary.closingLine).toBe("1 passed, 2 failed");
    expect(summary.details).toEqual([
      "FAILED, skipped without a [platform-only: <reason>] mark: skipped quietly",
      "FAILED, skipped without a [platform-only: <reason>] mark: later",
    ]);
  });

  it("lets a test marked platform-only be skipped, and lists it", () => {
    const summary = summarise(
      report([
        { status: "passed", title: "runs" },
        { status: "skipped", title: "[platform-only: needs macOS] keychain" },
        { status: "skipped", title: "inner", ancestorTitles: ["[platform-only: Windows] group"] },
      ]),
      false,
    );
    expect(summary.closingLine).toBe("1 passed, 0 failed, 2 platform-only skipped");
    expect(summary.failed).toBe(0);
    expect(summary.details).toEqual([
      "skipped here (platform-only): [platform-only: needs macOS] keychain",
      "skipped here (platform-only): [platform-only: Windows] group inner",
    ]);
  });

  it("does not take a mark that is not at the start of a title", () => {
    const summary = summarise(
      report([{ status: "skipped", title: "keychain [platform-only: needs macOS]" }]),
      false,
    );
    expect(summary.closingLine).toBe("0 passed, 1 failed");
  });

  it("counts a file that failed outside any test as one failure", () => {
    const summary = summarise(
      {
        numPassedTests: 0,
        numFailedTests: 0,
        testResults: [{ status: "failed", assertionResults: [] }],
      },
      false,
    );
    expect(summary.closingLine).toBe("0 passed, 1 failed");
  });

  it("reports tests a -t filter left out without failing them", () => {
    const summary = summarise(
      report([
        { status: "passed", title: "chosen" },
        { status: "skipped", title: "not chosen" },
      ]),
      true,
    );
    expect(summary.closingLine).toBe("1 passed, 0 failed, 1 not selected by -t");
  });
});
