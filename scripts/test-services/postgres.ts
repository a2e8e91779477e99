import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { firstExisting, provisionDebianTool, type DebianTool } from "./debian-package";
import { freePort } from "./free-port";

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** The server binaries' folder (initdb, pg_ctl), for `npm test`'s own cluster. */
export const postgresTool: DebianTool = {
  pkg: "postgresql",
  envVar: "CONCLAVE_TEST_POSTGRES_BIN",
  find: findPostgresBin,
};

function findPostgresBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  let versions: string[] = [];
  try {
    versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  } catch {
    return undefined;
  }
  const initdb = firstExisting(versions.map((v) => path.join(base, v, "bin", "initdb")));
  return initdb ? path.dirname(initdb) : undefined;
}

/** PostgreSQL refuses to run as root, so root runs it as the `postgres` user. */
function asServiceUser(bin: string, args: string[]): void {
  if (process.getuid?.() === 0) {
    execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "pipe" });
  } else {
    execFileSync(bin, args, { stdio: "pipe" });
  }
}

/** `bin`: the folder `postgresTool` names; provisioned here when not given. */
export async function startPostgres(workDir: string, bin?: string): Promise<RunningService> {
  bin ??= await provisionDebianTool(postgresTool);
  const dir = path.join(workDir, "pg");
  mkdirSync(dir, { mode: 0o700 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(workDir, uid, gid);
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const data = path.join(dir, "data");
  asServiceUser(path.join(bin, "initdb"), [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  // Durability is irrelevant for a throwaway cluster; speed is not.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");
  asServiceUser(pgCtl, [
    "-D",
    data,
    "-o",
    options,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        asServiceUser(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone; nothing left to stop.
      }
      return Promise.resolve();
    },
  };
}
