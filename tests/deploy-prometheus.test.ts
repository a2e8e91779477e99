// deploy/prometheus checked by Prometheus's own tools: `promtool check rules`, the
// rule unit tests (`promtool test rules`, each alert with a case that fires and one that
// stays silent, and a broken threshold shown to fail them), `promtool check config` on
// the scrape configuration and `amtool check-config` on the Alertmanager routing.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { amtoolTool, promtoolTool } from "../scripts/test-services/observability-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const deployDir = path.join(import.meta.dirname, "../deploy/prometheus");
const rulesFile = path.join(deployDir, "conclave-alerts.yml");
const ruleTestsFile = path.join(deployDir, "tests/conclave-alerts.test.yml");
const rules = readFileSync(rulesFile, "utf8");
const alertNames = [...rules.matchAll(/^ {6}- alert: (\w+)$/gmu)].flatMap((match) =>
  match[1] === undefined ? [] : [match[1]],
);

function run(tool: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(tool, args, { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Per alert name: whether some case expects it firing, and some case expects silence. */
function casesByAlert(tests: string): Map<string, { fires: boolean; silent: boolean }> {
  const cases = new Map<string, { fires: boolean; silent: boolean }>();
  let current: string | undefined;
  for (const line of tests.split("\n")) {
    const name = /^\s+alertname: (\w+)$/u.exec(line)?.[1];
    if (name !== undefined) {
      current = name;
      continue;
    }
    const expected = /^\s+exp_alerts:(.*)$/u.exec(line);
    if (expected === null || current === undefined) continue;
    const entry = cases.get(current) ?? { fires: false, silent: false };
    if (expected[1]?.trim() === "[]") entry.silent = true;
    else entry.fires = true;
    cases.set(current, entry);
    current = undefined;
  }
  return cases;
}

describe("deploy/prometheus", () => {
  const promtool = provisionedTool(promtoolTool);
  const scratch = mkdtempSync(path.join(tmpdir(), "conclave-prometheus-"));

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it("has the rules the operators need, each with a severity and a runbook", () => {
    for (const required of [
      "ConclaveFailedAuthenticationBurst",
      "ConclaveSigningCeremonyExpired",
      "ConclaveDatabaseDown",
      "ConclaveDatabasePoolExhausted",
      "ConclaveHighErrorRatio",
      "ConclaveRedisDown",
      "ConclaveRateLimitFailingClosed",
      "ConclaveBanBurst",
      "ConclaveAuditChainBroken",
      "ConclaveAuditChainVerificationStale",
      "ConclaveTlsCertificateExpiringSoon",
      "ConclaveInstanceDown",
      "ConclaveBackupMissing",
    ]) {
      expect(alertNames).toContain(required);
    }
    // The backup helper exports this gauge; the rule is written against its name.
    expect(rules).toContain("conclave_backup_last_success_timestamp_seconds");
    const count = (pattern: RegExp) => [...rules.matchAll(pattern)].length;
    expect(count(/^ {10}severity: (critical|warning)$/gmu)).toBe(alertNames.length);
    expect(count(/^ {10}summary: /gmu)).toBe(alertNames.length);
    expect(count(/^ {10}runbook: /gmu)).toBe(alertNames.length);
  });

  it("passes promtool check rules", () => {
    const checked = run(promtool, ["check", "rules", rulesFile]);
    expect(checked.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
    expect(checked.status).toBe(0);
  });

  it("passes its rule tests, with a firing and a silent case for every alert", () => {
    const cases = casesByAlert(readFileSync(ruleTestsFile, "utf8"));
    for (const name of alertNames) {
      expect(cases.get(name), name).toEqual({ fires: true, silent: true });
    }
    const tested = run(promtool, ["test", "rules", ruleTestsFile]);
    expect(tested.output).toContain("SUCCESS");
    expect(tested.status).toBe(0);
  });

  it("fails its rule tests when a threshold is broken", () => {
    const copy = path.join(scratch, "broken");
    cpSync(deployDir, copy, { recursive: true });
    const broken = rules.replace(
      "sum(increase(conclave_auth_failures_total[1m])) >= 10",
      "sum(increase(conclave_auth_failures_total[1m])) >= 100",
    );
    expect(broken).not.toBe(rules);
    writeFileSync(path.join(copy, "conclave-alerts.yml"), broken);
    const tested = run(promtool, [
      "test",
      "rules",
      path.join(copy, "tests/conclave-alerts.test.yml"),
    ]);
    expect(tested.output).toContain("ConclaveFailedAuthenticationBurst");
    expect(tested.status).not.toBe(0);
  });

  it("passes promtool check config with the rules where it loads them", () => {
    const config = readFileSync(path.join(deployDir, "prometheus.yml"), "utf8");
    expect(config).toContain("/etc/prometheus/conclave-alerts.yml");
    const local = path.join(scratch, "prometheus.yml");
    writeFileSync(local, config.replace("/etc/prometheus/conclave-alerts.yml", rulesFile));
    const checked = run(promtool, ["check", "config", local]);
    expect(checked.output).toContain("SUCCESS");
    expect(checked.status).toBe(0);
  });

  it("passes amtool check-config for the Alertmanager routing", () => {
    const checked = run(provisionedTool(amtoolTool), [
      "check-config",
      path.join(deployDir, "alertmanager.yml"),
    ]);
    expect(checked.output).toContain("SUCCESS");
    expect(checked.status).toBe(0);
  });
});
