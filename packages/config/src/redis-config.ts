import type { ConfigFragment, FragmentContext } from "./config-fragment";
import { checkReadableFile } from "./file-checks";
import { isSecretConfigured, readSecret } from "./read-secret";

export interface RedisConfig {
  /** Absent in development, where an in-memory backend stands in for Redis. */
  readonly url: string | undefined;
  /** CA that a rediss:// server certificate must chain to, when not a public CA. */
  readonly caFile: string | undefined;
}

const REDIS_PROTOCOLS = new Set(["redis:", "rediss:"]);
const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

// Redis carries revocations, bans and rate limits: whoever can write to it can lift a
// ban or hide a revocation. Production therefore always authenticates (a password, or an
// ACL user and password), and leaves the host only over TLS; a loopback Redis may skip
// TLS, since its traffic never leaves the machine. Unix sockets are not supported.
function checkProductionUrl(context: FragmentContext, url: URL): void {
  if (url.password === "") {
    context.report(
      "REDIS_URL",
      "must carry a password (redis://:PASSWORD@host or an ACL user) in production",
    );
  }
  if (url.protocol !== "rediss:" && !isLoopback(url.hostname)) {
    context.report(
      "REDIS_URL",
      "must use rediss:// (TLS) in production unless Redis listens on loopback",
    );
  }
}

export const redisConfig: ConfigFragment<RedisConfig> = (context) => {
  const url = context.attempt(() => readSecret(context.env, "REDIS_URL"));
  const caFile = context.env.REDIS_CA_FILE;
  if (caFile !== undefined) checkReadableFile(context, "REDIS_CA_FILE", caFile);
  if (url === undefined) {
    if (context.isProduction && !isSecretConfigured(context.env, "REDIS_URL")) {
      context.report("REDIS_URL", "is required in production");
    }
    return context.isProduction ? undefined : { url: undefined, caFile: undefined };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    context.report("REDIS_URL", "is not a valid URL");
    return undefined;
  }
  if (!REDIS_PROTOCOLS.has(parsed.protocol)) {
    context.report("REDIS_URL", "must be a redis:// or rediss:// URL");
    return undefined;
  }
  if (caFile !== undefined && parsed.protocol !== "rediss:") {
    context.report("REDIS_CA_FILE", "applies to a rediss:// REDIS_URL only");
  }
  if (context.isProduction) checkProductionUrl(context, parsed);
  return { url, caFile };
};
