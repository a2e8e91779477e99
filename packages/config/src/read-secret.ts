import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config-error";
import type { Env } from "./config-fragment";

const GROUP_OR_OTHER_ACCESS = 0o077;

function fail(variable: string, message: string): never {
  throw new ConfigError([{ variable, message }]);
}

function readSecretFile(variable: string, path: string): string {
  let mode: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) fail(variable, `${path} is not a regular file`);
    mode = stats.mode;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    fail(variable, `cannot read ${path} (${errorCode(error)})`);
  }
  if ((mode & GROUP_OR_OTHER_ACCESS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    fail(
      variable,
      `${path} is accessible by group or others (mode ${octal}); restrict it with chmod 600`,
    );
  }
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    fail(variable, `cannot read ${path} (${errorCode(error)})`);
  }
  // Files written with `echo` end in a newline that is not part of the secret.
  const value = content.replace(/\r?\n$/u, "");
  if (value === "") fail(variable, `${path} is empty`);
  return value;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "unreadable";
}

/** Where a secret can come from, in the order they are looked up. */
interface SecretSources {
  readonly direct: string | undefined;
  readonly file: string | undefined;
  readonly credential: string | undefined;
}

/**
 * systemd's `LoadCredential=NAME:...` puts the secret at `$CREDENTIALS_DIRECTORY/NAME`
 * (a private, read-only mount of the service); the name is the variable's own.
 */
function credentialPath(env: Env, name: string): string | undefined {
  const directory = env.CREDENTIALS_DIRECTORY;
  if (directory === undefined || directory === "") return undefined;
  const path = join(directory, name);
  return existsSync(path) ? path : undefined;
}

function sourcesOf(env: Env, name: string): SecretSources {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  return {
    direct: direct === "" ? undefined : direct,
    file: file === "" ? undefined : file,
    credential: credentialPath(env, name),
  };
}

/** Whether any source of the secret `name` is present, valid or not. */
export function isSecretConfigured(env: Env, name: string): boolean {
  const { direct, file, credential } = sourcesOf(env, name);
  return direct !== undefined || file !== undefined || credential !== undefined;
}

/**
 * Reads the secret `name` from exactly one of: the variable `NAME`, the file named by
 * `NAME_FILE`, or the systemd credential `$CREDENTIALS_DIRECTORY/NAME`. Two sources at
 * once are refused rather than ranked: an old `NAME` left in an environment file must
 * not silently win over (or lose to) the credential the operator just installed.
 * Files must be accessible by their owner only. Returns undefined when none is set.
 * Throws a ConfigError that names the variable (and the file path), never the content.
 */
export function readSecret(env: Env, name: string): string | undefined {
  const fileVariable = `${name}_FILE`;
  const { direct, file, credential } = sourcesOf(env, name);
  const present = [
    direct === undefined ? undefined : name,
    file === undefined ? undefined : fileVariable,
    credential === undefined ? undefined : `the credential ${credential}`,
  ].filter((source) => source !== undefined);
  if (present.length > 1) {
    fail(name, `set exactly one of ${present.join(", ")}; found several`);
  }
  if (file !== undefined) return readSecretFile(fileVariable, file);
  if (credential !== undefined) return readSecretFile(name, credential);
  return direct;
}
