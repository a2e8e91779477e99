import { existsSync } from "node:fs";
import type { MetricsConfig } from "@conclave/config/metrics-config";
import { pass, warn, type CheckResult } from "./doctor-check";

/** Alerting exists when Prometheus has the rules (deploy/prometheus) and can scrape us. */
export function checkAlerting(metrics: MetricsConfig, alertRulesFile: string): CheckResult {
  const item = "alerting configured";
  const { host, port } = metrics.listener;
  if (!existsSync(alertRulesFile)) {
    return warn(
      item,
      `no alert rules at ${alertRulesFile} (deploy/prometheus/conclave-alerts.yml)`,
    );
  }
  const schedule =
    metrics.auditChainVerifyEveryMs === undefined
      ? "; scheduled audit chain verification is off"
      : "";
  return pass(item, `rules at ${alertRulesFile}; metrics on ${host}:${String(port)}${schedule}`);
}
