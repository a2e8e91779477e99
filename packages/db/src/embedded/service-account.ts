// PostgreSQL refuses to run as root, so a root start runs the server as the `postgres`
// account, creating it (a system account without a home or shell) when it is missing.
import { execFileSync } from "node:child_process";

export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

export const serviceAccountName = "postgres";

function lookUp(name: string): ServiceAccount | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

/** The account to run the server as, or undefined when we are not root (it runs as us). */
export function ensureServiceAccount(): ServiceAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookUp(serviceAccountName);
  if (existing !== undefined) return existing;
  execFileSync(
    "useradd",
    [
      "--system",
      "--user-group",
      "--no-create-home",
      "--home-dir",
      "/nonexistent",
      "--shell",
      "/usr/sbin/nologin",
      serviceAccountName,
    ],
    { stdio: "pipe" },
  );
  const created = lookUp(serviceAccountName);
  if (created === undefined) throw new Error(`could not create the ${serviceAccountName} account`);
  return created;
}
