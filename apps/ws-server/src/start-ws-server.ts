import type { TlsCredentials } from "@conclave/config/read-tls-credentials";
import type { Logger } from "@conclave/logger/create-logger";
import type { AddressInfo } from "node:net";
import { TLS_SERVER_OPTIONS, createHttpsServer } from "./http/create-https-server";
import { createRedirectServer } from "./http/create-redirect-server";
import { close, listen } from "./http/listen";
import { createHealthzRoute } from "./http/routes/healthz";

export interface WsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly httpPort: number;
  /** Target of the HTTP redirect. */
  readonly publicOrigin: string;
  readonly tls: TlsCredentials;
  readonly logger: Logger;
  readonly checkDatabase: () => Promise<void>;
}

export interface RunningWsServer {
  readonly httpsAddress: AddressInfo;
  readonly httpAddress: AddressInfo;
  /** Serves a renewed certificate to new connections without a restart. */
  reloadTls(tls: TlsCredentials): void;
  /** Stops accepting connections and waits for in-flight requests. */
  stop(): Promise<void>;
}

/** Starts the HTTPS front door and its HTTP redirect; port 0 picks free ports (tests). */
export async function startWsServer(options: WsServerOptions): Promise<RunningWsServer> {
  const https = createHttpsServer({
    tls: options.tls,
    logger: options.logger,
    routes: [createHealthzRoute({ checkDatabase: options.checkDatabase })],
  });
  const redirect = createRedirectServer({ httpsOrigin: options.publicOrigin });
  const httpsAddress = await listen(https, options.port, options.host);
  let httpAddress: AddressInfo;
  try {
    httpAddress = await listen(redirect, options.httpPort, options.host);
  } catch (error) {
    await close(https);
    throw error;
  }
  return {
    httpsAddress,
    httpAddress,
    reloadTls(tls) {
      https.setSecureContext({ ...TLS_SERVER_OPTIONS, cert: tls.cert, key: tls.key });
    },
    async stop() {
      await Promise.all([close(https), close(redirect)]);
    },
  };
}
