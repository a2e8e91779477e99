import { z } from "zod";
import type { ConfigFragment } from "./config-fragment";
import { parseEnv } from "./parse-env";

export interface HttpServerConfig {
  readonly host: string;
  /** HTTPS port. */
  readonly port: number;
  /** Plain HTTP port whose only job is to redirect to `publicOrigin`. */
  readonly httpPort: number;
  /** The https origin clients use, e.g. `https://conclave.example.com`. */
  readonly publicOrigin: string;
}

interface HttpServerVariables {
  readonly host: string;
  readonly port: string;
  readonly httpPort: string;
  readonly origin: string;
  readonly defaultPort: number;
  readonly defaultHttpPort: number;
}

const port = z.coerce
  .number({ error: "must be a port number" })
  .int("must be a port number")
  .min(0, "must be a port number")
  .max(65_535, "must be a port number");

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.origin === value.replace(/\/$/u, "");
  } catch {
    return false;
  }
}, "must be an https origin such as https://conclave.example.com (no path)");

function httpServerConfig(names: HttpServerVariables): ConfigFragment<HttpServerConfig> {
  return (context) => {
    const parsed = parseEnv(context, {
      [names.host]: z.string().default("127.0.0.1"),
      [names.port]: port.default(names.defaultPort),
      [names.httpPort]: port.default(names.defaultHttpPort),
      [names.origin]: origin.optional(),
    });
    if (parsed === undefined) return undefined;
    const portNumber = parsed[names.port] as number;
    const publicOrigin = parsed[names.origin] as string | undefined;
    // Behind a proxy the public origin differs from the listener; production must say which.
    if (publicOrigin === undefined && context.isProduction) {
      context.report(names.origin, "is required in production");
      return undefined;
    }
    return {
      host: parsed[names.host] as string,
      port: portNumber,
      httpPort: parsed[names.httpPort] as number,
      publicOrigin: new URL(publicOrigin ?? `https://localhost:${portNumber}`).origin,
    };
  };
}

export const wsServerHttpConfig = httpServerConfig({
  host: "WS_SERVER_HOST",
  port: "WS_SERVER_PORT",
  httpPort: "WS_SERVER_HTTP_PORT",
  origin: "PUBLIC_WS_ORIGIN",
  defaultPort: 8443,
  defaultHttpPort: 8080,
});

export const webHttpConfig = httpServerConfig({
  host: "WEB_HOST",
  port: "WEB_PORT",
  httpPort: "WEB_HTTP_PORT",
  origin: "PUBLIC_WEB_ORIGIN",
  defaultPort: 3443,
  defaultHttpPort: 3080,
});
