import { isIP } from "node:net";
import { z } from "zod";
import type { ConfigFragment } from "./config-fragment";
import { parseEnv } from "./parse-env";
import { readSecret } from "./read-secret";
import { describeSecretWeakness } from "./secret-strength";

export interface MetricsConfig {
  /** The `/metrics` listener: its own port, never the public one. */
  readonly listener: {
    readonly host: string;
    readonly port: number;
    /** METRICS_TOKEN: required from every scrape when set; required off loopback. */
    readonly token: string | undefined;
  };
  /** How often the process verifies the whole audit chain; undefined: it does not. */
  readonly auditChainVerifyEveryMs: number | undefined;
}

interface MetricsVariables {
  readonly host: string;
  readonly port: string;
  readonly productionPort: number;
  /** Only the ws-server verifies the chain on a schedule; the console verifies on demand. */
  readonly verifiesAuditChain: boolean;
}

const port = z.coerce
  .number({ error: "must be a port number" })
  .int("must be a port number")
  .min(0, "must be a port number")
  .max(65_535, "must be a port number");

const minutes = z.coerce
  .number({ error: "must be a number of minutes" })
  .int("must be a whole number of minutes")
  .min(1, "must be at least 1 minute")
  .max(24 * 60, "must be at most 1440 minutes (a day)");

export function isLoopbackHost(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

function metricsConfig(names: MetricsVariables): ConfigFragment<MetricsConfig> {
  return (context) => {
    const parsed = parseEnv(context, {
      [names.host]: z.string().default("127.0.0.1"),
      // Outside production an ephemeral port (logged as "metrics listening"), so several
      // processes on one machine (tests, `npm start`) never collide.
      [names.port]: port.default(context.isProduction ? names.productionPort : 0),
      AUDIT_CHAIN_VERIFY_INTERVAL_MINUTES: minutes.default(60),
    });
    const token = context.attempt(() => readSecret(context.env, "METRICS_TOKEN"));
    if (parsed === undefined) return undefined;
    const host = parsed[names.host] as string;
    if (token !== undefined && context.isProduction) {
      const weakness = describeSecretWeakness(token);
      if (weakness !== undefined) {
        context.report("METRICS_TOKEN", weakness);
        return undefined;
      }
    }
    if (token === undefined && !isLoopbackHost(host)) {
      context.report(
        names.host,
        "is not a loopback address: set METRICS_TOKEN (or METRICS_TOKEN_FILE) so scrapes must present it, or listen on 127.0.0.1",
      );
      return undefined;
    }
    const everyMinutes = parsed.AUDIT_CHAIN_VERIFY_INTERVAL_MINUTES as number;
    return {
      listener: { host, port: parsed[names.port] as number, token },
      auditChainVerifyEveryMs: names.verifiesAuditChain ? everyMinutes * 60_000 : undefined,
    };
  };
}

export const wsServerMetricsConfig = metricsConfig({
  host: "WS_SERVER_METRICS_HOST",
  port: "WS_SERVER_METRICS_PORT",
  productionPort: 9464,
  verifiesAuditChain: true,
});

export const webMetricsConfig = metricsConfig({
  host: "WEB_METRICS_HOST",
  port: "WEB_METRICS_PORT",
  productionPort: 9465,
  verifiesAuditChain: false,
});
