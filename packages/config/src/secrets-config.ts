import type { ConfigFragment } from "./config-fragment";
import { isSecretConfigured, readSecret } from "./read-secret";
import { DEVELOPMENT_SECRET_MARKER, describeSecretWeakness } from "./secret-strength";

export const SECRET_NAMES = [
  "INVITE_CODE_PEPPER",
  "API_KEY_PEPPER",
  "REFRESH_TOKEN_PEPPER",
  "LOG_HMAC_KEY",
  "NEXTAUTH_SECRET",
  "JWT_KEYRING",
  "DATA_ENCRYPTION_KEY",
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export type SecretsConfig<Name extends SecretName> = { readonly [K in Name]: string };

/**
 * The JSON keyring's keys are checked by packages/auth; here it only has to parse and must not
 * carry the development marker.
 */
function describeKeyringProblem(value: string, isProduction: boolean): string | undefined {
  try {
    JSON.parse(value);
  } catch {
    return "is not valid JSON";
  }
  if (isProduction && value.includes(DEVELOPMENT_SECRET_MARKER)) {
    return `is a development secret (it carries the ${DEVELOPMENT_SECRET_MARKER} marker)`;
  }
  return undefined;
}

/**
 * The secrets an app needs, each from NAME or NAME_FILE. Required everywhere (`npm start`
 * generates development ones); production also refuses development and weak values.
 */
export function secretsConfig<const Name extends SecretName>(
  names: readonly Name[],
): ConfigFragment<SecretsConfig<Name>> {
  return (context) => {
    const secrets: Partial<Record<Name, string>> = {};
    let complete = true;
    for (const name of names) {
      const value = context.attempt(() => readSecret(context.env, name));
      if (value === undefined) {
        complete = false;
        if (!isSecretConfigured(context.env, name)) {
          context.report(
            name,
            `is required (set ${name}, ${name}_FILE or the systemd credential ${name})`,
          );
        }
        continue;
      }
      const problem =
        name === "JWT_KEYRING"
          ? describeKeyringProblem(value, context.isProduction)
          : context.isProduction
            ? describeSecretWeakness(value)
            : undefined;
      if (problem !== undefined) {
        complete = false;
        context.report(name, problem);
        continue;
      }
      secrets[name] = value;
    }
    return complete ? (secrets as SecretsConfig<Name>) : undefined;
  };
}
