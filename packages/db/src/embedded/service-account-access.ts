// What the `postgres` account may reach when a root start runs the server under it.
// The Conclave home stays owned by root; its group becomes the account's group with
// search permission only (0710), so the server can reach its own data and socket folders
// inside, while it cannot list the home, and the secrets and tls folders (root, 0700)
// stay closed to it. POSIX ACLs would do the same but are not available everywhere.
import { chmod, chown, stat } from "node:fs/promises";
import path from "node:path";
import type { ServiceAccount } from "./service-account";

export async function letAccountTraverse(dir: string, account: ServiceAccount): Promise<void> {
  await chown(dir, process.getuid?.() ?? 0, account.gid);
  await chmod(dir, 0o710);
}

async function searchable(dir: string, account: ServiceAccount): Promise<boolean> {
  const { mode, uid, gid } = await stat(dir);
  if (uid === account.uid) return (mode & 0o100) !== 0;
  if (gid === account.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** Refuses early, naming the folder, when the account cannot reach `target`. */
export async function assertAccountReaches(
  target: string,
  account: ServiceAccount,
  what: string,
): Promise<void> {
  const ancestors: string[] = [];
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    ancestors.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    if (!(await searchable(dir, account))) {
      throw new Error(
        `the ${account.name} account that runs the embedded PostgreSQL cannot reach ${what} ` +
          `(${dir} is not searchable by it); move the checkout or CONCLAVE_HOME, or run as a normal user`,
      );
    }
  }
}
