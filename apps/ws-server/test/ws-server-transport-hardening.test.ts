import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";
import { probeTlsPolicy, strongTls12Suites } from "@conclave/http-server/testing/probe-tls-policy";
import { silentTcpCut, stalledHeadersCut } from "@conclave/http-server/testing/slow-client-probes";
import { startWsServer, type RunningWsServer } from "../src/start-ws-server";
import { send } from "./https-client";

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
    const outcome = await stalledHeadersCut(port, cert);
    expect(outcome).toMatchObject({ cut: true });
    if (outcome.cut) expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /u);
  });

  it("cuts off a TCP connection that never starts TLS", async () => {
    expect(await silentTcpCut(port)).toEqual({ cut: true, received: "" });
  });

  it("refuses TLS 1.2 with static-RSA key exchange or CBC suites", async () => {
    expect((await probeTlsPolicy(port, cert)).weakTls12Accepted).toEqual([]);
  });

  it("accepts TLS 1.2 with ECDHE and AEAD, and TLS 1.3", async () => {
    const { strongTls12, tls13 } = await probeTlsPolicy(port, cert);
    expect(strongTls12).toEqual(
      strongTls12Suites.map((cipher) => ({ ok: true, protocol: "TLSv1.2", cipher })),
    );
    expect(tls13).toMatchObject({ ok: true, protocol: "TLSv1.3" });
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
