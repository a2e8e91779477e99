import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerScrapeGauges } from "../src/metrics/register-scrape-gauges";
import { createTestApi, type TestApi } from "./support/test-api";

const NAME = "conclave_backup_last_success_timestamp_seconds";

// The ConclaveBackupMissing alert (deploy/prometheus) watches this gauge.
describe("the last successful backup, as Prometheus scrapes it", () => {
  let api: TestApi;
  let registry: Registry;

  beforeAll(async () => {
    api = await createTestApi();
    registry = new Registry();
    registerScrapeGauges(registry, {
      prisma: api.prisma,
      clock: api.clock,
      logger: api.deps.logger,
      redisReady: undefined,
      tlsCertFile: undefined,
    });
  });

  afterAll(async () => {
    await api.close();
  });

  const sample = async () => {
    const line = (await registry.metrics()).split("\n").find((row) => row.startsWith(`${NAME} `));
    return line === undefined ? undefined : Number(line.split(" ")[1]);
  };

  const run = (kind: "DATABASE" | "SECRETS", status: "SUCCEEDED" | "FAILED", at: string) =>
    api.prisma.backupRun.create({
      data: { kind, status, startedAt: new Date(at), finishedAt: new Date(at), operator: "test" },
    });

  it("reads 0 before the first backup, then the newest successful database backup", async () => {
    expect(await sample()).toBe(0);
    await run("DATABASE", "SUCCEEDED", "2026-06-01T02:30:00.000Z");
    await run("DATABASE", "SUCCEEDED", "2026-06-02T02:30:00.000Z");
    // Neither a failed run nor a secrets backup counts.
    await run("DATABASE", "FAILED", "2026-06-03T02:30:00.000Z");
    await run("SECRETS", "SUCCEEDED", "2026-06-03T03:00:00.000Z");
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the snapshot's 1 s reuse
    expect(await sample()).toBe(Date.parse("2026-06-02T02:30:00.000Z") / 1000);
  });
});
