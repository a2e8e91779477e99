import type { ConfigFragment, FragmentContext } from "./config-fragment";
import { checkReadableFile } from "./file-checks";
import { isSecretConfigured, readSecret } from "./read-secret";

export interface DatabaseConfig {
  /** Application-role connection URL. */
  readonly url: string;
  /** Owner-role URL; when set, the process applies migrations at start. */
  readonly migrationUrl: string | undefined;
  /** CA that the PostgreSQL server certificate must chain to. */
  readonly caFile: string | undefined;
}

const POSTGRES_PROTOCOLS = new Set(["postgres:", "postgresql:"]);

function checkUrl(
  context: FragmentContext,
  variable: string,
  value: string,
  caFile: string | undefined,
): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    context.report(variable, "is not a valid URL");
    return;
  }
  if (!POSTGRES_PROTOCOLS.has(url.protocol)) {
    context.report(variable, "must be a postgres:// or postgresql:// URL");
    return;
  }
  if (!context.isProduction) return;
  // A sslmode in the URL overrides the CA passed to the driver, so it must itself verify.
  const sslmode = url.searchParams.get("sslmode");
  if (sslmode !== null && sslmode !== "verify-full") {
    context.report(variable, "must use sslmode=verify-full in production");
  } else if (sslmode === null && caFile === undefined) {
    context.report(
      variable,
      "must use TLS in production: add sslmode=verify-full or set DATABASE_CA_FILE",
    );
  }
}

export const databaseConfig: ConfigFragment<DatabaseConfig> = (context) => {
  const url = context.attempt(() => readSecret(context.env, "DATABASE_URL"));
  const migrationUrl = context.attempt(() => readSecret(context.env, "DATABASE_MIGRATION_URL"));
  const caFile = context.env.DATABASE_CA_FILE;
  if (caFile !== undefined) checkReadableFile(context, "DATABASE_CA_FILE", caFile);
  if (url === undefined) {
    if (!isSecretConfigured(context.env, "DATABASE_URL")) {
      context.report("DATABASE_URL", "is required");
    }
    return undefined;
  }
  checkUrl(context, "DATABASE_URL", url, caFile);
  if (migrationUrl !== undefined) checkUrl(context, "DATABASE_MIGRATION_URL", migrationUrl, caFile);
  return { url, migrationUrl, caFile };
};
