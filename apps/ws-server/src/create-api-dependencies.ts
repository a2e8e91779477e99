import {
  createProcessApiDependencies,
  type ProcessApiDependencies,
  type ProcessApiOptions,
} from "@conclave/api/context/create-process-api-dependencies";
import type { WsServerConfig } from "./config";

export type OwnedApiDependencies = ProcessApiDependencies;

/** Builds the API's dependencies once per process from the validated configuration. */
export function createApiDependencies(
  config: WsServerConfig,
  options: ProcessApiOptions,
): Promise<OwnedApiDependencies> {
  return createProcessApiDependencies(
    {
      publicOrigin: config.http.publicOrigin,
      database: { url: config.database.url, caFile: config.database.caFile },
      redisUrl: config.redis.url,
      jwtKeyring: config.secrets.JWT_KEYRING,
      peppers: {
        inviteCode: config.secrets.INVITE_CODE_PEPPER,
        apiKey: config.secrets.API_KEY_PEPPER,
        refreshToken: config.secrets.REFRESH_TOKEN_PEPPER,
      },
      abuseOverrides: config.abuse.overrides,
    },
    options,
  );
}
