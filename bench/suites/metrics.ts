// What the metrics cost: authenticated guardian calls (vaults.list through the real
// router, session check and rate limit included, on the real database) with the
// process's metrics recording, against the same calls with every metric a no-op,
// alternated in short runs in the same run. The issue asks for a ratio of at least 0.95.
import { Registry } from "prom-client";
import { createApiMetrics, type ApiMetrics } from "@conclave/api/metrics/create-api-metrics";
import {
  createAdmin,
  vaultWithGuardians,
} from "../../packages/api/test/support/coordination-harness";
import { createTestApi } from "../../packages/api/test/support/test-api";
import { measure, report, type Measurement } from "../measure";

/** The same metrics with recording switched off: the baseline. */
function silenced(): ApiMetrics {
  const metrics = createApiMetrics(new Registry());
  const noop = (): void => undefined;
  for (const counter of [
    metrics.requests,
    metrics.websocketsOpened,
    metrics.websocketsClosed,
    metrics.authFailures,
    metrics.rateLimitRefusals,
    metrics.securityEvents,
    metrics.keygenCeremonies,
    metrics.signingCeremonies,
    metrics.shareVerificationFailures,
    metrics.databaseTransactionFailures,
    metrics.auditChainVerifications,
  ])
    counter.inc = noop;
  metrics.requestDuration.observe = noop;
  metrics.signingDuration.observe = noop;
  return metrics;
}

export async function metricsBench(): Promise<void> {
  const api = await createTestApi({ abuse: { limits: { guardianCall: { max: 1_000_000_000 } } } });
  try {
    const admin = await createAdmin(api);
    const { guardians } = await vaultWithGuardians(api, admin, 2, 3);
    const guardian = guardians[0];
    if (guardian === undefined) throw new Error("no guardian");
    const recording = api.deps.metrics;
    const off = silenced();
    const call = () => guardian.caller.vaults.list();
    for (const concurrency of [1, 20]) {
      // Short runs, alternated, summed per side: load from other processes on the
      // machine drifts over seconds and would otherwise land on one side only.
      const rounds = 8;
      const total = concurrency === 1 ? 200 : 800;
      const sides = { off: [] as Measurement[], on: [] as Measurement[] };
      for (let round = 0; round < rounds; round++) {
        for (const side of round % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
          api.deps.metrics = side === "on" ? recording : off;
          sides[side].push(
            await measure(`metrics ${side} (${concurrency} at a time)`, call, {
              total,
              concurrency,
            }),
          );
        }
      }
      const combined = (name: string, runs: Measurement[]): Measurement => {
        const operations = runs.reduce((sum, m) => sum + m.operations, 0);
        const seconds = runs.reduce((sum, m) => sum + m.seconds, 0);
        const median = (pick: (m: Measurement) => number) =>
          runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? Number.NaN;
        return {
          name,
          operations,
          seconds,
          opsPerSecond: operations / seconds,
          p50Ms: median((m) => m.p50Ms),
          p99Ms: median((m) => m.p99Ms),
        };
      };
      const baseline = combined(`metrics off (${concurrency} at a time)`, sides.off);
      const measured = combined(`metrics on (${concurrency} at a time)`, sides.on);
      report(`authenticated calls, ${concurrency} at a time`, baseline, [measured]);
      console.log(
        `metrics on / off: ${(measured.opsPerSecond / baseline.opsPerSecond).toFixed(3)}`,
      );
    }
  } finally {
    await api.close();
  }
}
