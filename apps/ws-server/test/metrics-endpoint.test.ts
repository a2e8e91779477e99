import { readFileSync } from "node:fs";
import path from "node:path";
import { generateIdentityKey } from "@conclave/client/identity/identity-key";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "./https-client";
import {
  openGuardianSocket,
  trpcMutation,
  type RawResponse,
} from "./support/abuse-front-door-client";
import {
  createAbuseTestBed,
  type AbuseTestBed,
  type JoinedGuardian,
  type RunningProcess,
} from "./support/abuse-test-bed";
import { parseSamples, sampleValue, type Sample } from "./support/prometheus-samples";

const token = "metrics-scrape-token-0123456789abcdefABCDEF";
const alertRules = readFileSync(
  path.join(import.meta.dirname, "../../../deploy/prometheus/conclave-alerts.yml"),
  "utf8",
);

async function metricsPortOf(process: RunningProcess): Promise<number> {
  const listening = await process.server.waitForLog((entry) => entry.msg === "metrics listening");
  return Number(new URL(String(listening.url)).port);
}

function scrape(port: number, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send({ port, path: "/metrics", headers });
}

async function samplesOf(port: number): Promise<Sample[]> {
  const response = await scrape(port);
  expect(response.status).toBe(200);
  return parseSamples(response.body);
}

// Real ws-server processes: /metrics on its own loopback listener, or behind a bearer
// token, never on the public HTTPS port; and after a busy run, every label value is a
// bounded, plain name (no id, address, e-mail, key or user text).
describe("ws-server /metrics", () => {
  let bed: AbuseTestBed;
  let server: RunningProcess;
  let metricsPort: number;
  let guardian: JoinedGuardian;

  beforeAll(async () => {
    bed = await createAbuseTestBed({ publicOrigin: "https://localhost:8443" });
    server = await bed.spawn({ REDIS_URL: process.env.REDIS_URL ?? "" });
    metricsPort = await metricsPortOf(server);
    guardian = await bed.joinGuardian(server.port, "metrics-device-Zq7");
  });

  afterAll(async () => {
    await bed.close();
  });

  it("serves /metrics on a loopback listener, not on the public HTTPS port", async () => {
    const listening = await server.server.waitForLog((entry) => entry.msg === "metrics listening");
    expect(new URL(String(listening.url)).hostname).toBe("127.0.0.1");
    expect(listening.guarded).toBe(false);
    const open = await scrape(metricsPort);
    expect(open.status).toBe(200);
    expect(open.headers["content-type"]).toContain("text/plain");
    const publicPort = await send({ port: server.port, path: "/metrics", ca: bed.tls.cert });
    expect(publicPort.status).toBe(404);
    expect(publicPort.body).not.toContain("conclave_");
    expect((await send({ port: metricsPort, path: "/other" })).status).toBe(404);
  });

  it("counts a busy run with bounded labels only", async () => {
    const ca = bed.tls.cert;
    const target = { port: server.port, ca };
    // Failed logins (a signature that does not verify), each with a fresh identity.
    for (let i = 0; i < 4; i++) {
      const response = await trpcMutation(target, "auth.login", {
        challengeId: crypto.randomUUID(),
        identityPublicKey: generateIdentityKey().publicKeyHex,
        signature: "ab".repeat(64),
        deviceName: `guesser <guesser${i}@example.test>`,
      });
      expect(response.status).toBe(401);
    }
    // Past the public per-address limit (10/min): refusals counted under its name.
    const challenges: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await trpcMutation(target, "auth.issueChallenge", {
        identityPublicKey: generateIdentityKey().publicKeyHex,
      });
      challenges.push(response.status);
    }
    expect(challenges).toContain(429);
    // Input a strict schema refuses, and a path that names no procedure.
    expect((await trpcMutation(target, "auth.refresh", { refreshToken: 7 })).status).toBe(400);
    expect((await trpcMutation(target, `vault-${guardian.vaultId}`, {})).status).toBe(404);
    // A socket that works, then closes; one with a forged token.
    // openGuardianSocket proves the socket with one vaults.list; this test sends another.
    const socket = await openGuardianSocket({ ...target, accessToken: guardian.accessToken });
    if (socket.kind !== "open") throw new Error(`socket not admitted: ${socket.kind}`);
    expect(await socket.query("vaults.list")).toMatchObject({ ok: true });
    await socket.close();
    const forged = await openGuardianSocket({ ...target, accessToken: `${guardian.accessToken}x` });
    expect(forged.kind).not.toBe("open");

    await expect
      .poll(async () => sampleValue(await samplesOf(metricsPort), "conclave_websockets_open"), {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(0);
    const samples = await samplesOf(metricsPort);
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, labels);

    expect(
      value("conclave_requests_total", {
        door: "guardian-https",
        path: "auth.login",
        code: "UNAUTHORIZED",
      }),
    ).toBe(4);
    expect(
      value("conclave_requests_total", { door: "guardian-https", path: "auth.join", code: "OK" }),
    ).toBe(1);
    expect(
      value("conclave_requests_total", { door: "guardian-wss", path: "vaults.list", code: "OK" }),
    ).toBe(2);
    expect(
      value("conclave_request_duration_seconds_count", {
        door: "guardian-https",
        path: "auth.login",
      }),
    ).toBe(4);
    expect(value("conclave_auth_failures_total", { kind: "guardian_login" })).toBe(4);
    expect(value("conclave_auth_failures_total", { kind: "token" })).toBe(1);
    expect(
      value("conclave_rate_limit_refusals_total", { limit: "challenge", reason: "rate_limited" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value("conclave_security_events_total", { kind: "guardian.login_failed", severity: "WARN" }),
    ).toBe(4);
    expect(value("conclave_websockets_opened_total")).toBeGreaterThanOrEqual(2);
    const closed = samples.filter((sample) => sample.name === "conclave_websockets_closed_total");
    expect(closed.reduce((sum, sample) => sum + sample.value, 0)).toBe(
      value("conclave_websockets_opened_total"),
    );
    expect(value("conclave_database_up")).toBe(1);
    expect(value("conclave_redis_up")).toBe(1);
    expect(value("conclave_audit_chain_head_seq")).toBeGreaterThan(0);
    expect(value("conclave_bans_active")).toBe(0);
    expect(value("conclave_db_pool_waiting")).toBe(0);
    expect(value("conclave_tls_certificate_expiry_seconds")).toBeGreaterThan(3_600);
    expect(
      value("conclave_audit_chain_last_verification_success_timestamp_seconds"),
    ).toBeGreaterThan(0);
    expect(value("nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(value("process_cpu_user_seconds_total")).toBeGreaterThan(0);

    // Every series the alert rules watch exists (the backup helper's gauge aside).
    const exported = new Set(samples.map((sample) => sample.name));
    for (const [name] of alertRules.matchAll(/conclave_[a-z_]+/gu)) {
      if (name.startsWith("conclave_backup_")) continue;
      expect(exported.has(name), name).toBe(true);
    }

    // The walk: no label value is an id, an address, an e-mail, a key or user text.
    const forbidden = [
      guardian.guardianId,
      guardian.vaultId,
      guardian.identity.publicKeyHex,
      "metrics-device-Zq7",
      "guesser",
      "127.0.0.1",
    ];
    const seriesPerMetric = new Map<string, number>();
    for (const sample of samples) {
      seriesPerMetric.set(sample.name, (seriesPerMetric.get(sample.name) ?? 0) + 1);
      for (const [label, labelValue] of Object.entries(sample.labels)) {
        const where = `${sample.name}{${label}="${labelValue}"}`;
        expect(labelValue, where).toMatch(/^[A-Za-z0-9_.:()+-]{1,64}$/u);
        expect(labelValue, where).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/iu);
        expect(labelValue, where).not.toMatch(/@|^\d+\.\d+\.\d+\.\d+$|[0-9a-f]{32}/iu);
        for (const secret of forbidden) expect(labelValue, where).not.toContain(secret);
      }
    }
    for (const [name, count] of seriesPerMetric) expect(count, name).toBeLessThan(200);
  });

  it("requires the bearer token when METRICS_TOKEN is set, on a non-loopback listener too", async () => {
    const guarded = await bed.spawn({
      WS_SERVER_METRICS_HOST: "0.0.0.0",
      METRICS_TOKEN: token,
    });
    const port = await metricsPortOf(guarded);
    expect((await scrape(port)).status).toBe(401);
    expect((await scrape(port)).headers["www-authenticate"]).toContain("Bearer");
    expect((await scrape(port, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await scrape(port, { authorization: token })).status).toBe(401);
    const scraped = await scrape(port, { authorization: `Bearer ${token}` });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain("conclave_requests_total");
    expect(scraped.body).not.toContain(token);
  });

  it("refuses to start with a non-loopback metrics listener and no token", async () => {
    const refused = bed.spawn({ WS_SERVER_METRICS_HOST: "0.0.0.0" });
    await expect(refused).rejects.toThrow(/WS_SERVER_METRICS_HOST/u);
  });
});
