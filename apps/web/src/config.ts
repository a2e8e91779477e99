import { abuseEnvConfig } from "@conclave/api/abuse/abuse-env-config";
import type { Env } from "@conclave/config/config-fragment";
import { databaseConfig } from "@conclave/config/database-config";
import { webHttpConfig } from "@conclave/config/http-server-config";
import { loadConfig, type ConfigFromFragments } from "@conclave/config/load-config";
import { webMetricsConfig } from "@conclave/config/metrics-config";
import { redisConfig } from "@conclave/config/redis-config";
import { runtimeConfig } from "@conclave/config/runtime-config";
import { secretsConfig } from "@conclave/config/secrets-config";
import { tlsConfig } from "@conclave/config/tls-config";

const webFragments = {
  runtime: runtimeConfig,
  database: databaseConfig,
  redis: redisConfig,
  tls: tlsConfig,
  http: webHttpConfig,
  abuse: abuseEnvConfig,
  metrics: webMetricsConfig,
  secrets: secretsConfig([
    "NEXTAUTH_SECRET",
    "API_KEY_PEPPER",
    "INVITE_CODE_PEPPER",
    "REFRESH_TOKEN_PEPPER",
    "LOG_HMAC_KEY",
    "JWT_KEYRING",
    "DATA_ENCRYPTION_KEY",
  ]),
};

export type WebConfig = ConfigFromFragments<typeof webFragments>;

/** Validates the environment once; throws a ConfigError naming every bad variable. */
export function loadWebConfig(env: Env = process.env): WebConfig {
  return loadConfig(webFragments, env);
}
