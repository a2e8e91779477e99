import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { startWsServer, type RunningWsServer } from "../src/start-ws-server";
import { send } from "./https-client";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";

const PUBLIC_ORIGIN = "https://conclave.test:9443";

function memoryLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe("ws-server HTTPS front door", () => {
  const { cert, key } = createSelfSignedCertificate();
  const log = memoryLog();
  let databaseUp = true;
  let server: RunningWsServer;

  beforeAll(async () => {
    server = await startWsServer({
      host: "127.0.0.1",
      port: 0,
      httpPort: 0,
      publicOrigin: PUBLIC_ORIGIN,
      tls: { cert: Buffer.from(cert), key: Buffer.from(key) },
      logger: createLogger({ name: "ws-server-test", level: "info", destination: log.stream }),
      checkDatabase: () =>
        databaseUp ? Promise.resolve() : Promise.reject(new Error("connection refused")),
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const https = (path: string, headers?: Record<string, string>, method?: string) =>
    send({ port: server.httpsAddress.port, path, ca: cert, headers, method });

  it("answers /healthz over HTTPS with HSTS and a generated request id", async () => {
    databaseUp = true;
    const response = await https("/healthz");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: "ok", db: "ok" });
    expect(response.headers["content-type"]).toContain("application/json");
    expect(response.headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}/u);
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/u);
  });

  it("reports a failing database as 503 without the error detail", async () => {
    databaseUp = false;
    const response = await https("/healthz");
    databaseUp = true;
    expect(response.status).toBe(503);
    expect(JSON.parse(response.body)).toEqual({ status: "error", db: "error" });
  });

  it("answers unknown routes with 404 JSON and wrong methods with 405", async () => {
    const missing = await https("/nope?token=abc");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: "not_found" });
    const wrongMethod = await https("/healthz", undefined, "POST");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET");
  });

  it("echoes a well-formed x-request-id and carries it in the request log", async () => {
    const response = await https("/healthz", { "x-request-id": "req-echo-42" });
    expect(response.headers["x-request-id"]).toBe("req-echo-42");
    const entries = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const entry = entries.find((e) => e.reqId === "req-echo-42" && e.msg === "request");
    expect(entry).toMatchObject({ method: "GET", path: "/healthz", status: 200 });
  });

  it("replaces a malformed x-request-id instead of echoing it", async () => {
    const response = await https("/healthz", { "x-request-id": "bad id\twith spaces" });
    expect(response.headers["x-request-id"]).not.toBe("bad id\twith spaces");
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/u);
  });

  it("logs the path without the query string", async () => {
    await https("/nope?token=abc", { "x-request-id": "req-query-1" });
    const lines = log.lines.filter((line) => line.includes("req-query-1"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain("token=abc");
  });

  it("serves a reloaded certificate to new connections", async () => {
    const renewed = createSelfSignedCertificate();
    server.reloadTls({ cert: Buffer.from(renewed.cert), key: Buffer.from(renewed.key) });
    try {
      const response = await send({
        port: server.httpsAddress.port,
        path: "/healthz",
        ca: renewed.cert,
      });
      expect(response.status).toBe(200);
      await expect(https("/healthz")).rejects.toThrow();
    } finally {
      server.reloadTls({ cert: Buffer.from(cert), key: Buffer.from(key) });
    }
    expect((await https("/healthz")).status).toBe(200);
  });

  it("redirects plain HTTP to the same path on the HTTPS origin with 308", async () => {
    const response = await send({ port: server.httpAddress.port, path: "/healthz?x=1" });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`${PUBLIC_ORIGIN}/healthz?x=1`);
  });

  it("keeps the redirect on its own origin for absolute-form request targets", async () => {
    const response = await send({ port: server.httpAddress.port, path: "http://evil.example/x" });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe(`${PUBLIC_ORIGIN}/x`);
  });
});
