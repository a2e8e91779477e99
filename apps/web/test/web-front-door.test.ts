import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conclave/logger/create-logger";
import { createHttpsServer } from "../src/server/create-https-server";
import { createRedirectServer } from "@conclave/http-server/create-redirect-server";
import { close, listen } from "@conclave/http-server/listen";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(port: number, path: string, ca?: string, headers?: Record<string, string>) {
  return new Promise<Reply>((resolve, reject) => {
    const options = { host: "127.0.0.1", port, path, headers, agent: false as const };
    const onReply = (response: IncomingMessage) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    };
    const request =
      ca === undefined
        ? httpRequest(options, onReply)
        : httpsRequest({ ...options, ca, servername: "localhost" }, onReply);
    request.on("error", reject);
    request.end();
  });
}

describe("web HTTPS front door", () => {
  const { cert, key } = createSelfSignedCertificate();
  const lines: string[] = [];
  const logger = createLogger({
    name: "web-test",
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    }),
  });
  const seenRequestIds: (string | string[] | undefined)[] = [];
  const https = createHttpsServer(
    { cert: Buffer.from(cert), key: Buffer.from(key) },
    logger,
    (request, response) => {
      seenRequestIds.push(request.headers["x-request-id"]);
      if (request.url === "/boom") return Promise.reject(new Error("handler failed"));
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("next would answer here");
      return Promise.resolve();
    },
  );
  const redirect = createRedirectServer({ httpsOrigin: "https://console.conclave.test" });
  let httpsPort: number;
  let httpPort: number;

  beforeAll(async () => {
    httpsPort = (await listen(https, 0, "127.0.0.1")).port;
    httpPort = (await listen(redirect, 0, "127.0.0.1")).port;
  });
  afterAll(async () => {
    await Promise.all([close(https), close(redirect)]);
  });

  it("serves the handler over HTTPS with HSTS and a request id the handler also sees", async () => {
    const reply = await get(httpsPort, "/signin", cert, { "x-request-id": "web-req-7" });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("next would answer here");
    expect(reply.headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}/u);
    expect(reply.headers["x-request-id"]).toBe("web-req-7");
    expect(seenRequestIds).toContain("web-req-7");
    const entry = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((e) => e.reqId === "web-req-7");
    expect(entry).toMatchObject({ msg: "request", path: "/signin", status: 200 });
  });

  it("answers 500 without detail when the handler fails", async () => {
    const reply = await get(httpsPort, "/boom", cert);
    expect(reply.status).toBe(500);
    expect(reply.body).not.toContain("handler failed");
  });

  it("redirects plain HTTP with 308 to the HTTPS origin", async () => {
    const reply = await get(httpPort, "/signin?next=%2F");
    expect(reply.status).toBe(308);
    expect(reply.headers.location).toBe("https://console.conclave.test/signin?next=%2F");
  });
});
