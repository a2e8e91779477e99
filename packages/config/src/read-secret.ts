import { readFileSync, statSync } from "node:fs";
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

/**
 * Reads the secret `name` from `NAME` or from the file named by `NAME_FILE` (never both).
 * The file must be accessible by its owner only. Returns undefined when neither is set.
 * Throws a ConfigError that names the variable (and the file path), never the content.
 */
export function readSecret(env: Env, name: string): string | undefined {
  const fileVariable = `${name}_FILE`;
  const direct = env[name] === "" ? undefined : env[name];
  const path = env[fileVariable] === "" ? undefined : env[fileVariable];
  if (direct !== undefined && path !== undefined) {
    fail(name, `set either ${name} or ${fileVariable}, not both`);
  }
  if (path !== undefined) return readSecretFile(fileVariable, path);
  return direct;
}
