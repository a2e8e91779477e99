import { request } from "node:http";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/test-services/free-port";
import { consoleRequest } from "./support/console-http";
import { startConsoleServer, type ConsoleServer } from "./support/console-server";
import { ensureWebBuild } from "./support/web-build";

function scrape(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/metrics", agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

// The console process (apps/web/server.ts with the built app): its own metrics on a
// loopback listener, counted by the API's middleware inside the Next bundle; nothing
// on the public HTTPS port.
describe("console /metrics", () => {
  let db: TestDatabase;
  let server: ConsoleServer | undefined;
  let metricsPort: number;

  beforeAll(async () => {
    ensureWebBuild();
    db = await createTestDatabase();
    metricsPort = await freePort();
    server = await startConsoleServer(db.appUrl, {
      env: { WEB_METRICS_PORT: String(metricsPort) },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  it("counts console calls on its own listener and serves nothing on the public port", async () => {
    if (server === undefined) throw new Error("console server did not start");
    const refused = await consoleRequest(server, "/api/trpc/console.dashboard");
    expect(refused.status).toBe(401);
    const publicPort = await consoleRequest(server, "/metrics");
    expect(publicPort.status).not.toBe(200);
    expect(publicPort.body).not.toContain("conclave_requests_total");

    const scraped = await scrape(metricsPort);
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain(
      'conclave_requests_total{door="console-https",path="console.dashboard",code="UNAUTHORIZED"} 1',
    );
    expect(scraped.body).toMatch(/^conclave_database_up 1$/mu);
    expect(scraped.body).toMatch(/^conclave_tls_certificate_expiry_seconds \d/mu);
    expect(scraped.body).toMatch(/^nodejs_eventloop_lag_seconds /mu);
    expect(scraped.body).toMatch(/^process_cpu_user_seconds_total /mu);
  });
});
