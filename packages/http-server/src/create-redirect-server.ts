import { createServer, type Server } from "node:http";
import { httpTimeoutOptions, serverTimeouts, type ServerTimeouts } from "./server-timeouts";

export interface RedirectServerOptions {
  /** Where every request is sent, e.g. `https://localhost:8443`. */
  readonly httpsOrigin: string;
  readonly timeouts?: ServerTimeouts;
}

/** Plain HTTP listener whose only answer is a 308 to the same path on the HTTPS origin. */
export function createRedirectServer(options: RedirectServerOptions): Server {
  const origin = new URL(options.httpsOrigin).origin;
  return createServer(
    httpTimeoutOptions(options.timeouts ?? serverTimeouts()),
    (request, response) => {
      // Only the path and query are kept, so an absolute-form request cannot change the host.
      const target = new URL(request.url ?? "/", origin);
      const location = `${origin}${target.pathname}${target.search}`;
      response.writeHead(308, {
        location,
        "content-type": "text/plain; charset=utf-8",
        connection: "close",
      });
      response.end(`Redirecting to ${location}\n`);
    },
  );
}
