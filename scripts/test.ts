// `npm test`: runs every suite against a real PostgreSQL and a real Redis.
// Before vitest starts its workers it installs, once, every system tool a test needs
// (missing Debian packages, under a machine-wide lock) and hands their paths to the
// tests in CONCLAVE_TEST_* variables: test files never install anything.
// When DATABASE_URL or REDIS_URL is not given, it starts an ephemeral PostgreSQL
// cluster and a redis-server on loopback and tears them down at exit, on failure too.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ageTool } from "./test-services/age";
import { chromiumTool } from "./test-services/chromium";
import { provisionDebianTools } from "./test-services/debian-package";
import { deployTools } from "./test-services/deploy-tools";
import { observabilityTools } from "./test-services/observability-tools";
import { postgresTool, startPostgres, type RunningService } from "./test-services/postgres";
import { postgresClientTool } from "./test-services/postgres-client";
import { redisServerTool, startRedis } from "./test-services/redis";
import { summarise, type VitestJsonReport } from "./test-services/test-summary";

const root = path.resolve(import.meta.dirname, "..");

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
    // redis-server even with a REDIS_URL: some tests stop and restart a Redis of their own.
    const tools = [
      chromiumTool,
      redisServerTool,
      ...deployTools,
      ...observabilityTools,
      postgresClientTool,
      ageTool,
      ...(env.DATABASE_URL ? [] : [postgresTool]),
    ];
    Object.assign(env, await provisionDebianTools(tools));
    if (!env.DATABASE_URL) {
      const postgres = await startPostgres(workDir, env[postgresTool.envVar]);
      services.push(postgres);
      env.DATABASE_URL = postgres.url;
    }
    if (!env.REDIS_URL) {
      const redis = await startRedis(workDir, env[redisServerTool.envVar]);
      services.push(redis);
      env.REDIS_URL = redis.url;
      // The suites that cross processes connect over TLS, as production must off loopback.
      env.CONCLAVE_TEST_REDIS_TLS_URL = redis.tlsUrl;
      env.CONCLAVE_TEST_REDIS_CA_FILE = redis.caFile;
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
    if (!report) {
      console.log("0 passed, 1 failed");
      return exitCode || 1;
    }
    const summary = summarise(report, isNameFiltered(process.argv.slice(2)));
    for (const line of summary.details) console.log(line);
    console.log(summary.closingLine);
    return summary.failed > 0 ? exitCode || 1 : exitCode;
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

function isNameFiltered(args: string[]): boolean {
  return args.some(
    (arg) => arg === "-t" || arg.startsWith("-t=") || arg.startsWith("--testNamePattern"),
  );
}

/** Connection URLs may carry passwords; show only where they point. */
function redacted(url: string | undefined): string {
  if (!url) return "(none)";
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port}`;
}

process.exitCode = await main();
