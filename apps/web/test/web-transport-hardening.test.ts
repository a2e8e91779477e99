import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { close, listen } from "@conclave/http-server/listen";
import { serverTimeouts } from "@conclave/http-server/server-timeouts";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";
import {
  partialHeadersConnection,
  serverCut,
  silentTcpConnection,
  tlsHandshake,
} from "@conclave/http-server/testing/slow-client-probes";
import { createHttpsServer } from "../src/server/create-https-server";

// Node's defaults would hold these clients for 30 s to 50 s and 120 s: a cut within 15 s
// shows the shortened limits apply.
const GENEROUS_BOUND_MS = 15_000;

// The console's listener with a stand-in for Next: the TLS policy and timeouts are the
// listener's, whatever Next answers.
describe("web HTTPS listener transport hardening", () => {
  const { cert, key } = createSelfSignedCertificate();
  const server = createHttpsServer(
    { cert: Buffer.from(cert), key: Buffer.from(key) },
    createLogger({ name: "web-test", level: "silent" }),
    (_request, response) => {
      response.end("ok");
      return Promise.resolve();
    },
    serverTimeouts({ headersTimeoutMs: 2_000, tlsHandshakeTimeoutMs: 1_000 }),
  );
  let port: number;

  beforeAll(async () => {
    port = (await listen(server, 0, "127.0.0.1")).port;
  });
  afterAll(async () => {
    await close(server);
  });

  it("cuts off a client that stalls in its headers, and one that never starts TLS", async () => {
    const stalled = await serverCut(await partialHeadersConnection(port, cert), GENEROUS_BOUND_MS);
    expect(stalled).toMatchObject({ cut: true });
    if (stalled.cut) expect(stalled.received).toMatch(/^HTTP\/1\.1 408 /u);
    const silent = await serverCut(silentTcpConnection(port), GENEROUS_BOUND_MS);
    expect(silent).toEqual({ cut: true, received: "" });
  });

  it("refuses TLS 1.2 static-RSA and CBC suites, accepts ECDHE with AEAD and TLS 1.3", async () => {
    for (const ciphers of [
      "AES128-SHA256",
      "AES256-SHA",
      "AES128-GCM-SHA256",
      "ECDHE-RSA-AES256-SHA",
    ]) {
      const outcome = await tlsHandshake({ port, ca: cert, ciphers, maxVersion: "TLSv1.2" });
      expect({ ciphers, ok: outcome.ok }).toEqual({ ciphers, ok: false });
    }
    for (const ciphers of ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"]) {
      const outcome = await tlsHandshake({ port, ca: cert, ciphers, maxVersion: "TLSv1.2" });
      expect(outcome).toEqual({ ok: true, protocol: "TLSv1.2", cipher: ciphers });
    }
    const modern = await tlsHandshake({
      port,
      ca: cert,
      ciphers: "TLS_AES_256_GCM_SHA384",
      maxVersion: "TLSv1.3",
    });
    expect(modern).toMatchObject({ ok: true, protocol: "TLSv1.3" });
  });
});
