import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Counter } from "prom-client";
import { installDomainMetrics } from "../src/metrics/domain-metrics";
import { sweepDeadlines } from "../src/services/deadlines/sweep-deadlines";
import type { AdminCaller } from "./support/coordination-harness";
import {
  createAdmin,
  runKeygen,
  testnetDestination,
  vaultWithGuardians,
} from "./support/coordination-harness";
import { createTestApi, type TestApi } from "./support/test-api";

async function count<Label extends string>(
  counter: Counter<Label>,
  labels: Partial<Record<Label, string>> = {},
): Promise<number> {
  const { values } = await counter.get();
  return values
    .filter((sample) =>
      Object.entries(labels).every(
        ([name, value]) => (sample.labels as Record<string, unknown>)[name] === value,
      ),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

// Ceremony metrics are counted from the audit row each transition writes, so the real
// procedures and the deadline sweeper drive them here, on the real database.
describe("ceremony metrics", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };

  beforeAll(async () => {
    api = await createTestApi();
    installDomainMetrics(api.deps.metrics);
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  it("counts keygen and signing by outcome, signing duration, bad shares and expiries", async () => {
    const { metrics } = api.deps;
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 3);
    await runKeygen(guardians);
    expect(await count(metrics.keygenCeremonies, { outcome: "started" })).toBe(1);
    expect(await count(metrics.keygenCeremonies, { outcome: "completed" })).toBe(1);

    const fields = {
      chain: "bitcoin" as const,
      network: "testnet" as const,
      destination: testnetDestination,
      amount: "125000",
      memo: "rent",
    };
    const [g1, g2, g3] = guardians;
    if (!g1 || !g2 || !g3) throw new Error("three guardians expected");
    const signed = await admin.caller.admin.transactions.create({ vaultId, fields });
    api.clock.advance(90_000);
    for (const g of [g1, g2]) await g.approve(signed.id, 1);
    for (const g of [g1, g2]) await (await g.submitShare(signed.id, 1)).call();
    expect(await count(metrics.signingCeremonies, { outcome: "completed" })).toBe(1);
    const duration = await metrics.signingDuration.get();
    expect(duration.values.find((v) => v.metricName?.endsWith("_count"))?.value).toBe(1);
    expect(duration.values.find((v) => v.metricName?.endsWith("_sum"))?.value).toBe(90);

    const cheated = await admin.caller.admin.transactions.create({ vaultId, fields });
    for (const g of [g1, g2]) await g.approve(cheated.id, 1);
    await (await g1.submitShare(cheated.id, 1)).call();
    await expect((await g2.submitShare(cheated.id, 1, { corrupt: true })).call()).rejects.toThrow();
    expect(await count(metrics.shareVerificationFailures)).toBe(1);
    expect(
      await count(metrics.securityEvents, { kind: "signing_share_invalid", severity: "CRITICAL" }),
    ).toBe(1);

    // Nobody signs attempt 2: the sweeper expires the transaction at its round deadline.
    api.clock.advance(api.deps.config.signingRoundTtlMs + 1_000);
    expect((await sweepDeadlines(api.deps, api.clock.now())).transactionsExpired).toBe(1);
    expect(await count(metrics.signingCeremonies, { outcome: "started" })).toBe(2);
    expect(await count(metrics.signingCeremonies, { outcome: "expired" })).toBe(1);
    expect(await count(metrics.signingCeremonies, { outcome: "failed" })).toBe(0);
    expect(
      await count(metrics.requests, { path: "signing.submitShare", code: "BAD_REQUEST" }),
    ).toBe(1);
  });
});
