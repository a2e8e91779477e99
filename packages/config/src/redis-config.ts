import type { ConfigFragment } from "./config-fragment";
import { isSecretConfigured, readSecret } from "./read-secret";

export interface RedisConfig {
  /** Absent in development, where an in-memory backend stands in for Redis. */
  readonly url: string | undefined;
}

const REDIS_PROTOCOLS = new Set(["redis:", "rediss:"]);

export const redisConfig: ConfigFragment<RedisConfig> = (context) => {
  const url = context.attempt(() => readSecret(context.env, "REDIS_URL"));
  if (url === undefined) {
    if (context.isProduction && !isSecretConfigured(context.env, "REDIS_URL")) {
      context.report("REDIS_URL", "is required in production");
    }
    return context.isProduction ? undefined : { url: undefined };
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    context.report("REDIS_URL", "is not a valid URL");
    return undefined;
  }
  if (!REDIS_PROTOCOLS.has(protocol)) {
    context.report("REDIS_URL", "must be a redis:// or rediss:// URL");
    return undefined;
  }
  return { url };
};
