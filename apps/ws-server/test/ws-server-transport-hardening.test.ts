import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";
import {
  partialHeadersConnection,
  serverCut,
  silentTcpConnection,
  tlsHandshake,
} from "@conclave/http-server/testing/slow-client-probes";
import { startWsServer, type RunningWsServer } from "../src/start-ws-server";
import { send } from "./https-client";

// Node's defaults would hold these clients for 30 s to 50 s (header timeout checked every
// 30 s) and 120 s (TLS handshake): a cut within 15 s shows the shortened limits apply.
const GENEROUS_BOUND_MS = 15_000;

describe("ws-server transport hardening", () => {
  const { cert, key } = createSelfSignedCertificate();
  let server: RunningWsServer;
  let port: number;

  beforeAll(async () => {
    server = await startWsServer({
      host: "127.0.0.1",
      port: 0,
      httpPort: 0,
      publicOrigin: "https://localhost:9443",
      tls: { cert: Buffer.from(cert), key: Buffer.from(key) },
      logger: createLogger({ name: "ws-server-test", level: "silent" }),
      checkDatabase: () => Promise.resolve(),
      // The check interval stays at its default: it is what decides how late the cut is.
      timeouts: { headersTimeoutMs: 2_000, tlsHandshakeTimeoutMs: 1_000 },
    });
    port = server.httpsAddress.port;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("cuts off a client that sends part of its headers and then stalls, with a 408", async () => {
    const socket = await partialHeadersConnection(port, cert);
    const outcome = await serverCut(socket, GENEROUS_BOUND_MS);
    expect(outcome).toMatchObject({ cut: true });
    if (outcome.cut) expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /u);
  });

  it("cuts off a TCP connection that never starts TLS", async () => {
    const outcome = await serverCut(silentTcpConnection(port), GENEROUS_BOUND_MS);
    expect(outcome).toEqual({ cut: true, received: "" });
  });

  it("refuses TLS 1.2 with static-RSA key exchange or CBC suites", async () => {
    for (const ciphers of [
      "AES128-SHA256",
      "AES256-SHA",
      "AES128-GCM-SHA256",
      "AES256-GCM-SHA384",
      "ECDHE-RSA-AES128-SHA256",
      "ECDHE-RSA-AES256-SHA",
    ]) {
      const outcome = await tlsHandshake({ port, ca: cert, ciphers, maxVersion: "TLSv1.2" });
      expect({ ciphers, ok: outcome.ok }).toEqual({ ciphers, ok: false });
    }
  });

  it("accepts TLS 1.2 with ECDHE and AEAD, and TLS 1.3", async () => {
    for (const ciphers of [
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-RSA-CHACHA20-POLY1305",
    ]) {
      const outcome = await tlsHandshake({ port, ca: cert, ciphers, maxVersion: "TLSv1.2" });
      expect(outcome).toEqual({ ok: true, protocol: "TLSv1.2", cipher: ciphers });
    }
    const modern = await tlsHandshake({
      port,
      ca: cert,
      ciphers: "TLS_AES_128_GCM_SHA256",
      maxVersion: "TLSv1.3",
    });
    expect(modern).toMatchObject({ ok: true, protocol: "TLSv1.3" });
  });

  it("sends the security headers on every answer, not-found and wrong-method included", async () => {
    for (const [path, method] of [
      ["/healthz", "GET"],
      ["/nope", "GET"],
      ["/healthz", "POST"],
    ] as const) {
      const response = await send({ port, path, method, ca: cert });
      expect(response.headers).toMatchObject({
        "x-frame-options": "DENY",
        "cache-control": "no-store",
        "x-xss-protection": "0",
        "x-content-type-options": "nosniff",
        "strict-transport-security": "max-age=63072000; includeSubDomains",
      });
    }
  });
});
