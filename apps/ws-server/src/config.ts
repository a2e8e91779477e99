import { abuseEnvConfig } from "@conclave/api/abuse/abuse-env-config";
import type { Env } from "@conclave/config/config-fragment";
import { databaseConfig } from "@conclave/config/database-config";
import { wsServerHttpConfig } from "@conclave/config/http-server-config";
import { loadConfig, type ConfigFromFragments } from "@conclave/config/load-config";
import { wsServerMetricsConfig } from "@conclave/config/metrics-config";
import { redisConfig } from "@conclave/config/redis-config";
import { retentionConfig } from "@conclave/config/retention-config";
import { runtimeConfig } from "@conclave/config/runtime-config";
import { secretsConfig } from "@conclave/config/secrets-config";
import { tlsConfig } from "@conclave/config/tls-config";
import { wsOriginsConfig } from "./ws-origins-config";

const wsServerFragments = {
  runtime: runtimeConfig,
  database: databaseConfig,
  redis: redisConfig,
  tls: tlsConfig,
  http: wsServerHttpConfig,
  wsOrigins: wsOriginsConfig,
  abuse: abuseEnvConfig,
  metrics: wsServerMetricsConfig,
  retention: retentionConfig,
  secrets: secretsConfig([
    "INVITE_CODE_PEPPER",
    "API_KEY_PEPPER",
    "REFRESH_TOKEN_PEPPER",
    "LOG_HMAC_KEY",
    "JWT_KEYRING",
  ]),
};

export type WsServerConfig = ConfigFromFragments<typeof wsServerFragments>;

/** Validates the environment once; throws a ConfigError naming every bad variable. */
export function loadWsServerConfig(env: Env = process.env): WsServerConfig {
  return loadConfig(wsServerFragments, env);
}
