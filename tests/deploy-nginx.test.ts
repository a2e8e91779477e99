// deploy/nginx checked by the real nginx: `nginx -t`, then the running server's TLS
// policy, redirects, ACME webroot, limits and headers (no app behind it here; the
// production build behind it is tests/deploy-production.test.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDevCertificates } from "../scripts/start/dev-certificates";
import { nginxTool } from "../scripts/test-services/deploy-tools";
import { freePort } from "../scripts/test-services/free-port";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";
import {
  nginxConfigTest,
  renderNginxConfig,
  startNginx,
  type NginxTestSetup,
  type RunningNginx,
} from "./support/deploy-nginx";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  url: string,
  options: https.RequestOptions & { body?: Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith("https:") ? https : http;
    const req = client.request(url, options, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    req.once("error", reject);
    req.end(options.body);
  });
}

function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ...options }, () => {
      const protocol = socket.getProtocol() ?? "unknown";
      socket.end();
      resolve(protocol);
    });
    socket.once("error", reject);
  });
}

describe("deploy/nginx", () => {
  let nginx: string;
  let setup: NginxTestSetup;
  let ca: string;
  let running: RunningNginx | undefined;

  beforeAll(async () => {
    nginx = provisionedTool(nginxTool);
    const dir = mkdtempSync(path.join(tmpdir(), "conclave-nginx-"));
    mkdirSync(path.join(dir, "tls"), { mode: 0o700 });
    const certs = ensureDevCertificates(path.join(dir, "tls"));
    ca = readFileSync(certs.caCertFile, "utf8");
    setup = {
      dir,
      certFile: certs.certFile,
      keyFile: certs.keyFile,
      caFile: certs.caCertFile,
      webroot: path.join(dir, "webroot"),
      ports: { http: await freePort(), console: await freePort(), signing: await freePort() },
      // Nothing listens there: nginx answers 502 for the apps.
      upstreams: { console: await freePort(), signing: await freePort() },
    };
    renderNginxConfig(setup);
    running = await startNginx(nginx, setup);
  });

  afterAll(async () => {
    await running?.stop();
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it("passes nginx -t with test certificates", () => {
    const { status, output } = nginxConfigTest(nginx, setup);
    expect(output).toContain("syntax is ok");
    expect(output).toContain("test is successful");
    expect(status).toBe(0);
  });

  it("substitutes only ports, paths and names, so the shipped directives are what was tested", () => {
    const rendered = readFileSync(path.join(setup.dir, "conclave.conf"), "utf8");
    expect(rendered).not.toMatch(/example\.com|\/etc\/letsencrypt|:443|listen 80/u);
    const shipped = readFileSync(
      path.join(import.meta.dirname, "../deploy/nginx/conclave.conf"),
      "utf8",
    );
    const directives = (text: string) =>
      text
        .split("\n")
        .map((line) => line.trim().split(/\s+/u)[0])
        .filter((word) => word !== undefined && word !== "" && !word.startsWith("#"));
    expect(directives(rendered).filter((word) => word !== "listen")).toEqual(
      directives(shipped).filter((word) => word !== "listen"),
    );
  });

  it("fails nginx -t when a certificate is missing (the check can fail)", () => {
    const broken = { ...setup, dir: path.join(setup.dir, "broken"), certFile: "/nonexistent.pem" };
    mkdirSync(broken.dir);
    renderNginxConfig(broken);
    const { status, output } = nginxConfigTest(nginx, broken);
    expect(output).toContain("/nonexistent.pem");
    expect(status).not.toBe(0);
  });

  it("redirects plain HTTP to HTTPS but serves ACME challenges from the webroot", async () => {
    const redirect = await request(`http://127.0.0.1:${setup.ports.http}/dashboard?x=1`, {
      headers: { host: "localhost" },
    });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe("https://localhost/dashboard?x=1");

    const challenges = path.join(setup.webroot, ".well-known/acme-challenge");
    mkdirSync(challenges, { recursive: true });
    writeFileSync(path.join(challenges, "token-123"), "token-123.thumbprint");
    const challenge = await request(
      `http://127.0.0.1:${setup.ports.http}/.well-known/acme-challenge/token-123`,
      { headers: { host: "localhost" } },
    );
    expect(challenge.status).toBe(200);
    expect(challenge.body).toBe("token-123.thumbprint");
  });

  it("speaks TLS 1.2 and 1.3 only, and rejects handshakes for names it does not serve", async () => {
    await expect(
      handshake(setup.ports.signing, { ca, servername: "localhost", maxVersion: "TLSv1.3" }),
    ).resolves.toBe("TLSv1.3");
    await expect(
      handshake(setup.ports.signing, { ca, servername: "localhost", maxVersion: "TLSv1.2" }),
    ).resolves.toBe("TLSv1.2");
    await expect(
      handshake(setup.ports.signing, {
        ca,
        servername: "localhost",
        maxVersion: "TLSv1.1",
        minVersion: "TLSv1",
        ciphers: "DEFAULT:@SECLEVEL=0",
      }),
    ).rejects.toThrow();
    await expect(
      handshake(setup.ports.console, { ca, servername: "other.example.org" }),
    ).rejects.toThrow(/unrecognized name|alert/u);
  });

  it("refuses CBC and static-RSA suites on TLS 1.2", async () => {
    await expect(
      handshake(setup.ports.signing, {
        ca,
        servername: "localhost",
        maxVersion: "TLSv1.2",
        ciphers: "AES128-SHA:AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA",
      }),
    ).rejects.toThrow();
  });

  it("sends HSTS once, hides its version, keeps /metrics private and caps bodies at 64 KiB", async () => {
    const options = { ca, servername: "localhost", headers: { host: "localhost" } };
    const health = await request(`https://127.0.0.1:${setup.ports.signing}/healthz`, options);
    expect(health.status).toBe(502);
    expect(health.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(health.headers.server).toBe("nginx");

    const metrics = await request(`https://127.0.0.1:${setup.ports.signing}/metrics`, options);
    expect(metrics.status).toBe(404);

    const big = await request(`https://127.0.0.1:${setup.ports.signing}/trpc/auth.join`, {
      ...options,
      method: "POST",
      headers: { ...options.headers, "content-type": "application/json" },
      body: Buffer.alloc(65 * 1024, 0x20),
    });
    expect(big.status).toBe(413);
  });
});
