import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "@conclave/logger/create-logger";

export type MetricsListenerConfig = {
  readonly host: string;
  readonly port: number;
  /** When set, every scrape must send `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
};

export type MetricsListener = {
  readonly address: AddressInfo;
  close(): Promise<void>;
};

const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

/**
 * `/metrics` on its own plain-HTTP listener, never on a public port: loopback by
 * default, and anywhere else only behind the bearer token (packages/config refuses a
 * non-loopback host without one). Anything but GET/HEAD /metrics is a 404.
 */
export async function startMetricsListener(
  registry: Registry,
  config: MetricsListenerConfig,
  logger: Logger,
): Promise<MetricsListener> {
  const expected = config.token === undefined ? undefined : digest(`Bearer ${config.token}`);
  const authorized = (req: IncomingMessage): boolean => {
    if (expected === undefined) return true;
    const presented = req.headers.authorization;
    // Compared as digests: equal lengths, so timingSafeEqual leaks nothing about the token.
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
  const answer = (res: ServerResponse, status: number, body: string, type: string): void => {
    res.writeHead(status, {
      "Content-Type": type,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...(status === 401 ? { "WWW-Authenticate": 'Bearer realm="metrics"' } : {}),
    });
    res.end(body);
  };
  const server = createServer(
    { requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
        answer(res, 404, "not found\n", "text/plain; charset=utf-8");
        return;
      }
      if (!authorized(req)) {
        answer(res, 401, "unauthorized\n", "text/plain; charset=utf-8");
        return;
      }
      registry.metrics().then(
        (text) => {
          answer(res, 200, req.method === "HEAD" ? "" : text, registry.contentType);
        },
        (error: unknown) => {
          logger.error({ err: error }, "metrics: collection failed");
          answer(res, 500, "collection failed\n", "text/plain; charset=utf-8");
        },
      );
    },
  );
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;
  logger.info(
    { url: `http://${host}:${address.port}/metrics`, guarded: config.token !== undefined },
    "metrics listening",
  );
  return {
    address,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
