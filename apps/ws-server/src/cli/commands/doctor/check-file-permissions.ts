import { accessSync, constants, statSync } from "node:fs";
import type { Env } from "@conclave/config/config-fragment";
import { fail, pass, warn, type CheckResult } from "./doctor-check";

const GROUP_OR_OTHER_ACCESS = 0o077;

/** Every private file the environment names: secrets (`*_FILE`), the TLS key, the keyring. */
function privateFiles(env: Env): { variable: string; path: string }[] {
  return Object.entries(env)
    .filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        entry[1] !== "" &&
        (entry[0].endsWith("_FILE") || entry[0] === "TLS_KEY_FILE") &&
        entry[0] !== "TLS_CERT_FILE" &&
        entry[0] !== "TLS_CA_FILE" &&
        entry[0] !== "DATABASE_CA_FILE",
    )
    .map(([variable, path]) => ({ variable, path }))
    .sort((a, b) => a.variable.localeCompare(b.variable));
}

/** Secret files readable by their owner only and owned by the user the apps run as. */
export function checkPrivateFiles(env: Env, uid: number | undefined): CheckResult {
  const item = "private files: owner-only, owned by the service user";
  const problems: string[] = [];
  const files = privateFiles(env);
  for (const { variable, path } of files) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      problems.push(`${variable}: cannot read ${path}`);
      continue;
    }
    if ((stats.mode & GROUP_OR_OTHER_ACCESS) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, "0");
      problems.push(`${variable}: ${path} has mode ${mode} (want 0600 or 0400)`);
    }
    if (uid !== undefined && stats.uid !== uid) {
      problems.push(
        `${variable}: ${path} is owned by uid ${String(stats.uid)}, not ${String(uid)}`,
      );
    }
  }
  if (problems.length > 0) return fail(item, problems.join("; "));
  const credentials = env.CREDENTIALS_DIRECTORY;
  const names = files.map((file) => file.variable).join(", ");
  return pass(
    item,
    `${names === "" ? "no *_FILE secrets" : names}${credentials === undefined ? "" : "; systemd credentials in use"}`,
  );
}

/** The service user must not be able to rewrite the code it runs. */
export function checkCodeNotWritable(codePath: string): CheckResult {
  const item = "installed code is read-only for the service user";
  try {
    accessSync(codePath, constants.W_OK);
    return warn(item, `${codePath} is writable by this user; install it owned by root`);
  } catch {
    return pass(item, `${codePath} is not writable`);
  }
}
