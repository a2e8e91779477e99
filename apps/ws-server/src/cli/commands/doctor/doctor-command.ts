// `conclave doctor`: checks this host's signing-server deployment against the security
// checklist (docs/deployment.md) with the environment the server itself gets. One line
// per item, pass/warn/fail with the reason; exit 1 when anything fails.
import { ConfigError } from "@conclave/config/config-error";
import type { Env } from "@conclave/config/config-fragment";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { loadWsServerConfig, type WsServerConfig } from "../../../config";
import { checkAlerting } from "./check-alerting";
import { checkAuditChain, checkLastBackup } from "./check-audit-and-backups";
import { checkCertificate } from "./check-certificate";
import { checkDatabaseRole, checkDatabaseTls } from "./check-database";
import { checkCodeNotWritable, checkPrivateFiles } from "./check-file-permissions";
import { checkNotRoot, checkProductionMode } from "./check-process";
import { checkRedisTls } from "./check-redis";
import { fail, pass, type CheckResult } from "./doctor-check";

export const DOCTOR_USAGE = `  doctor         check this deployment against the security checklist (pass/warn/fail
                 per item, exit 1 on any fail); run it as the service user with the
                 signing server's environment`;

export interface DoctorOptions {
  readonly env: Env;
  readonly uid: number | undefined;
  readonly now: Date;
  /** The running code, which the service user must not be able to rewrite. */
  readonly codePath: string;
  readonly print: (line: string) => void;
}

const DEFAULT_ALERT_RULES_FILE = "/etc/prometheus/conclave-alerts.yml";

function loadProductionConfig(env: Env): { config?: WsServerConfig; result: CheckResult } {
  const item = "production configuration and secret strength";
  try {
    // Judged by the production rules whatever NODE_ENV says (that has its own item).
    const config = loadWsServerConfig({ ...env, NODE_ENV: "production" });
    return {
      config,
      result: pass(item, "every variable valid; secrets strong, none a development one"),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((problem) => `${problem.variable} ${problem.message}`);
    return { result: fail(item, problems.join("; ")) };
  }
}

async function databaseChecks(config: WsServerConfig, now: Date): Promise<CheckResult[]> {
  const prisma = createPrismaClient({
    url: config.database.url,
    caFile: config.database.caFile,
    max: 1,
  });
  try {
    return [
      await checkDatabaseTls(prisma),
      await checkDatabaseRole(prisma),
      await checkAuditChain(prisma),
      await checkLastBackup(prisma, now),
    ];
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unknown error";
    return [fail("database reachable", `cannot query the database: ${reason ?? "unknown"}`)];
  } finally {
    await prisma.$disconnect();
  }
}

export async function doctorCommand(options: DoctorOptions): Promise<number> {
  const { env, now } = options;
  const { config, result: configResult } = loadProductionConfig(env);
  const results: CheckResult[] = [
    checkNotRoot(options.uid),
    checkProductionMode(env),
    configResult,
    checkPrivateFiles(env, options.uid),
    checkCodeNotWritable(options.codePath),
  ];
  if (config === undefined) {
    results.push(fail("remaining checks", "not run: the configuration above must load first"));
  } else {
    results.push(
      checkCertificate(config.tls.certFile, config.tls.keyFile, now),
      checkRedisTls(config.redis.url),
      ...(await databaseChecks(config, now)),
      checkAlerting(config.metrics, env.CONCLAVE_ALERT_RULES_FILE ?? DEFAULT_ALERT_RULES_FILE),
    );
  }
  for (const result of results) {
    options.print(`${result.status.toUpperCase().padEnd(4)}  ${result.item}: ${result.reason}`);
  }
  const failed = results.filter((result) => result.status === "fail").length;
  const warned = results.filter((result) => result.status === "warn").length;
  options.print(
    `doctor: ${String(results.length - failed - warned)} passed, ${String(warned)} warned, ${String(failed)} failed`,
  );
  return failed > 0 ? 1 : 0;
}
