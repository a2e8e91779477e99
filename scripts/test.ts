// `npm test`: runs every suite against a real PostgreSQL and a real Redis.
// When DATABASE_URL or REDIS_URL is not given, it provisions an ephemeral
// PostgreSQL cluster and a redis-server on loopback (installing the Debian
// packages if they are missing) and tears them down at exit, on failure too.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPostgres, type RunningService } from "./test-services/postgres";
import { startRedis } from "./test-services/redis";

const root = path.resolve(import.meta.dirname, "..");

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { status: string; assertionResults: { status: string }[] }[];
}

/** A file that failed outside any test (a hook, an import) counts as one failure. */
function countFailures(report: VitestJsonReport): number {
  const brokenFiles = report.testResults.filter(
    (file) =>
      file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
  ).length;
  return report.numFailedTests + brokenFiles;
}

async function main(): Promise<number> {
  const workDir = await mkdtemp(path.join(tmpdir(), "conclave-test-"));
  const services: RunningService[] = [];
  const stopAll = async () => {
    for (const service of services.splice(0).reverse()) await service.stop();
    await rm(workDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
    if (!env.DATABASE_URL) {
      const postgres = await startPostgres(workDir);
      services.push(postgres);
      env.DATABASE_URL = postgres.url;
    }
    if (!env.REDIS_URL) {
      const redis = await startRedis(workDir);
      services.push(redis);
      env.REDIS_URL = redis.url;
    }
    console.log(
      `test services: postgres ${redacted(env.DATABASE_URL)}, redis ${redacted(env.REDIS_URL)}`,
    );

    const reportFile = path.join(workDir, "vitest.json");
    const exitCode = await run(
      process.execPath,
      [
        path.join(root, "node_modules/vitest/vitest.mjs"),
        "run",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${reportFile}`,
        ...process.argv.slice(2),
      ],
      env,
    );
    const report = await readReport(reportFile);
    if (report) {
      const skipped = report.numPendingTests + report.numTodoTests;
      const tail = skipped > 0 ? `, ${skipped} skipped` : "";
      console.log(`${report.numPassedTests} passed, ${countFailures(report)} failed${tail}`);
    } else {
      console.log("0 passed, 1 failed");
    }
    return report ? exitCode : exitCode || 1;
  } finally {
    await stopAll();
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function readReport(file: string): Promise<VitestJsonReport | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as VitestJsonReport;
  } catch {
    return undefined;
  }
}

/** Connection URLs may carry passwords; show only where they point. */
function redacted(url: string | undefined): string {
  if (!url) return "(none)";
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port}`;
}

process.exitCode = await main();
