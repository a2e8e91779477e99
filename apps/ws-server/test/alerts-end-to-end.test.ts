import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateIdentityKey } from "@conclave/client/identity/identity-key";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/test-services/free-port";
import {
  alertmanagerTool,
  prometheusTool,
} from "../../../scripts/test-services/observability-tools";
import {
  postgresTool,
  startPostgres,
  type RunningService,
} from "../../../scripts/test-services/postgres";
import { provisionedTool } from "../../../scripts/test-services/provisioned-tool";
import { trpcMutation } from "./support/abuse-front-door-client";
import { createAbuseTestBed, type AbuseTestBed } from "./support/abuse-test-bed";

const rules = path.join(import.meta.dirname, "../../../deploy/prometheus/conclave-alerts.yml");

function getJson(port: number, pathAndQuery: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: pathAndQuery, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

type PrometheusAlert = { labels: Record<string, string>; state: string };
type WebhookAlert = {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

// The shipped rules, end to end with real parts: a real Prometheus (1 s evaluation)
// scrapes a real ws-server, a real Alertmanager delivers to a webhook in this test. Ten
// failed logins fire ConclaveFailedAuthenticationBurst; stopping the PostgreSQL of a
// second instance fires ConclaveDatabaseDown once its minute has passed.
describe("alerts end to end", () => {
  let bed: AbuseTestBed;
  let serverPort: number;
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-alerts-"));
  const children: ChildProcess[] = [];
  let webhook: Server;
  const delivered: string[] = [];
  let prometheusPort: number;
  let privateCluster: RunningService | undefined;
  let privateDatabase: TestDatabase | undefined;

  const start = (binary: string, args: string[]): void => {
    const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("exit", (code) => {
      if (code !== null && code !== 0) console.error(`${binary} exited ${code}: ${stderr}`);
    });
    children.push(child);
  };

  beforeAll(async () => {
    bed = await createAbuseTestBed({ publicOrigin: "https://localhost:8443" });
    const server = await bed.spawn({});
    serverPort = server.port;
    const listening = await server.server.waitForLog((entry) => entry.msg === "metrics listening");
    const metricsPort = Number(new URL(String(listening.url)).port);

    // A second instance on a PostgreSQL of its own, so the test can stop that one.
    privateCluster = await startPostgres(dir, process.env[postgresTool.envVar]);
    const sharedCluster = process.env.DATABASE_URL;
    process.env.DATABASE_URL = privateCluster.url;
    try {
      privateDatabase = await createTestDatabase();
    } finally {
      process.env.DATABASE_URL = sharedCluster;
    }
    const second = await bed.spawn({
      DATABASE_URL: privateDatabase.appUrl,
      REDIS_URL: process.env.REDIS_URL ?? "",
    });
    const secondListening = await second.server.waitForLog(
      (entry) => entry.msg === "metrics listening",
    );
    const secondMetricsPort = Number(new URL(String(secondListening.url)).port);

    webhook = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        delivered.push(body);
        res.writeHead(200).end();
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((resolve) => webhook.listen(hookPort, "127.0.0.1", resolve));

    const alertmanagerPort = await freePort();
    writeFileSync(
      path.join(dir, "alertmanager.yml"),
      [
        "route:",
        "  receiver: test",
        "  group_by: [alertname]",
        "  group_wait: 1s",
        "  group_interval: 1s",
        "  repeat_interval: 1h",
        "receivers:",
        "  - name: test",
        "    webhook_configs:",
        `      - url: http://127.0.0.1:${hookPort}/alerts`,
      ].join("\n"),
    );
    start(provisionedTool(alertmanagerTool), [
      `--config.file=${path.join(dir, "alertmanager.yml")}`,
      `--storage.path=${path.join(dir, "alertmanager-data")}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ]);

    prometheusPort = await freePort();
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      [
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files:",
        `  - ${rules}`,
        "alerting:",
        "  alertmanagers:",
        "    - static_configs:",
        `        - targets: ["127.0.0.1:${alertmanagerPort}"]`,
        "scrape_configs:",
        "  - job_name: conclave-ws-server",
        "    static_configs:",
        `      - targets: ["127.0.0.1:${metricsPort}", "127.0.0.1:${secondMetricsPort}"]`,
      ].join("\n"),
    );
    start(provisionedTool(prometheusTool), [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "prometheus-data")}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      "--log.level=warn",
    ]);
    // The zero of the failure counter is on record before the first failure.
    const zeroSamples = async (): Promise<number> => {
      const answer = (await getJson(
        prometheusPort,
        "/api/v1/query?query=count_over_time(conclave_auth_failures_total%7Bkind%3D%22guardian_login%22%7D%5B1m%5D)",
      ).catch(() => ({}))) as { data?: { result?: { value: [number, string] }[] } };
      return Number(answer.data?.result?.[0]?.value[1] ?? 0);
    };
    const deadline = Date.now() + 60_000;
    while ((await zeroSamples()) < 3) {
      if (Date.now() > deadline) throw new Error("Prometheus did not scrape the ws-server");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) =>
        child.exitCode === null
          ? new Promise((resolve) => child.once("exit", resolve))
          : Promise.resolve(),
      ),
    );
    await new Promise((resolve) => webhook.close(resolve));
    await bed.close();
    await privateCluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fires the failed-authentication alert after 10 failed logins and delivers it", async () => {
    const silent = (await getJson(prometheusPort, "/api/v1/alerts")) as {
      data: { alerts: PrometheusAlert[] };
    };
    expect(silent.data.alerts.map((alert) => alert.labels.alertname)).not.toContain(
      "ConclaveFailedAuthenticationBurst",
    );

    const identities: string[] = [];
    for (let i = 0; i < 10; i++) {
      const identity = generateIdentityKey().publicKeyHex;
      identities.push(identity);
      const response = await trpcMutation({ port: serverPort, ca: bed.tls.cert }, "auth.login", {
        challengeId: crypto.randomUUID(),
        identityPublicKey: identity,
        signature: "ab".repeat(64),
        deviceName: "alert-guesser",
      });
      expect(response.status).toBe(401);
    }

    await expect
      .poll(
        async () => {
          const answer = (await getJson(prometheusPort, "/api/v1/alerts")) as {
            data: { alerts: PrometheusAlert[] };
          };
          return answer.data.alerts.find(
            (alert) => alert.labels.alertname === "ConclaveFailedAuthenticationBurst",
          )?.state;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe("firing");

    const deliveredAlert = (): WebhookAlert | undefined => {
      for (const body of delivered) {
        const payload = JSON.parse(body) as { alerts: WebhookAlert[] };
        const found = payload.alerts.find(
          (alert) => alert.labels.alertname === "ConclaveFailedAuthenticationBurst",
        );
        if (found) return found;
      }
      return undefined;
    };
    await expect.poll(deliveredAlert, { timeout: 60_000, interval: 500 }).toBeDefined();
    const alert = deliveredAlert();
    expect(alert).toMatchObject({
      status: "firing",
      labels: { alertname: "ConclaveFailedAuthenticationBurst", severity: "critical" },
    });
    expect(alert?.annotations.summary).toMatch(
      /^1\d(\.\d+)? failed authentications in the last minute$/u,
    );
    expect(alert?.annotations.runbook).toContain("Security events");
    // Kinds and counts only: nothing the failed logins sent reaches the payload.
    const payloads = delivered.join("\n");
    for (const sent of [...identities, "alert-guesser"]) expect(payloads).not.toContain(sent);
  });

  it("fires the database alert when an instance's PostgreSQL stops", async () => {
    const firing = async (name: string): Promise<string | undefined> => {
      const answer = (await getJson(prometheusPort, "/api/v1/alerts")) as {
        data: { alerts: PrometheusAlert[] };
      };
      return answer.data.alerts.find((alert) => alert.labels.alertname === name)?.state;
    };
    expect(await firing("ConclaveDatabaseDown")).toBeUndefined();
    await privateCluster?.stop();
    await expect
      .poll(() => firing("ConclaveDatabaseDown"), { timeout: 150_000, interval: 1_000 })
      .toBe("firing");
    await expect
      .poll(
        () =>
          delivered.some((body) =>
            (JSON.parse(body) as { alerts: WebhookAlert[] }).alerts.some(
              (alert) =>
                alert.labels.alertname === "ConclaveDatabaseDown" && alert.status === "firing",
            ),
          ),
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
  }, 240_000);
});
