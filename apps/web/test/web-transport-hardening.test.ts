import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { close, listen } from "@conclave/http-server/listen";
import { serverTimeouts } from "@conclave/http-server/server-timeouts";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";
import { probeTlsPolicy, strongTls12Suites } from "@conclave/http-server/testing/probe-tls-policy";
import { silentTcpCut, stalledHeadersCut } from "@conclave/http-server/testing/slow-client-probes";
import { createHttpsServer } from "../src/server/create-https-server";

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
    const stalled = await stalledHeadersCut(port, cert);
    expect(stalled).toMatchObject({ cut: true });
    if (stalled.cut) expect(stalled.received).toMatch(/^HTTP\/1\.1 408 /u);
    expect(await silentTcpCut(port)).toEqual({ cut: true, received: "" });
  });

  it("refuses TLS 1.2 static-RSA and CBC suites, accepts ECDHE with AEAD and TLS 1.3", async () => {
    const probe = await probeTlsPolicy(port, cert);
    expect(probe.weakTls12Accepted).toEqual([]);
    expect(probe.strongTls12).toEqual(
      strongTls12Suites.map((cipher) => ({ ok: true, protocol: "TLSv1.2", cipher })),
    );
    expect(probe.tls13).toMatchObject({ ok: true, protocol: "TLSv1.3" });
  });
});
