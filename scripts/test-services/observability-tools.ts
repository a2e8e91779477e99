import { firstExisting, type DebianTool } from "./debian-package";

// The real tools that check deploy/prometheus and deploy/logrotate
// (tests/deploy-prometheus.test.ts, tests/deploy-logrotate.test.ts) and run the alerts end
// to end (apps/ws-server/test/alerts-end-to-end.test.ts).

export const promtoolTool: DebianTool = {
  pkg: "prometheus",
  envVar: "CONCLAVE_TEST_PROMTOOL",
  find: () => firstExisting(["/usr/bin/promtool"]),
};

export const prometheusTool: DebianTool = {
  pkg: "prometheus",
  envVar: "CONCLAVE_TEST_PROMETHEUS",
  find: () => firstExisting(["/usr/bin/prometheus"]),
};

export const alertmanagerTool: DebianTool = {
  pkg: "prometheus-alertmanager",
  envVar: "CONCLAVE_TEST_ALERTMANAGER",
  find: () => firstExisting(["/usr/bin/prometheus-alertmanager"]),
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

export const observabilityTools: readonly DebianTool[] = [
  promtoolTool,
  prometheusTool,
  alertmanagerTool,
  amtoolTool,
  logrotateTool,
];
