import { firstExisting, type DebianTool } from "./debian-package";

// The real tools that check deploy/prometheus and deploy/logrotate
// (tests/deploy-prometheus.test.ts, tests/deploy-logrotate.test.ts).

export const promtoolTool: DebianTool = {
  pkg: "prometheus",
  envVar: "CONCLAVE_TEST_PROMTOOL",
  find: () => firstExisting(["/usr/bin/promtool"]),
};

export const amtoolTool: DebianTool = {
  pkg: "prometheus-alertmanager",
  envVar: "CONCLAVE_TEST_AMTOOL",
  find: () => firstExisting(["/usr/bin/amtool"]),
};

export const logrotateTool: DebianTool = {
  pkg: "logrotate",
  envVar: "CONCLAVE_TEST_LOGROTATE",
  find: () => firstExisting(["/usr/sbin/logrotate"]),
};

export const observabilityTools: readonly DebianTool[] = [promtoolTool, amtoolTool, logrotateTool];
