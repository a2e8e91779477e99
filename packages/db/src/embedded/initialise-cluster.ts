// Creates the cluster on first run: scram-sha-256 for every connection (no trust), data
// files readable by the server account only (no --allow-group-access).
import { spawn } from "node:child_process";
import { chown, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import type { PostgresBinaries } from "./postgres-binaries";
import type { ServiceAccount } from "./service-account";

export const supportedMajorVersion = "15";

export interface InitialiseClusterOptions {
  dataDir: string;
  /** A folder the server account owns: initdb reads the password file from there. */
  privateScratchDir: string;
  superuser: string;
  superuserPassword: string;
  binaries: PostgresBinaries;
  account?: ServiceAccount;
  /** Skip fsync (throwaway clusters only). */
  noSync?: boolean;
}

/** Messages stay in English so that failures read the same everywhere. */
export const serverEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: "C", LANG: "C" });

type ClusterState = { kind: "absent" } | { kind: "foreign" } | { kind: "cluster"; version: string };

async function clusterState(dataDir: string): Promise<ClusterState> {
  const entries = await readdir(dataDir).catch(() => []);
  if (entries.length === 0) return { kind: "absent" };
  const version = await readFile(path.join(dataDir, "PG_VERSION"), "utf8").catch(() => null);
  return version === null ? { kind: "foreign" } : { kind: "cluster", version: version.trim() };
}

/** Runs initdb when dataDir holds no cluster; refuses a folder holding anything else. */
export async function initialiseCluster(options: InitialiseClusterOptions): Promise<boolean> {
  const { dataDir, account, binaries } = options;
  const state = await clusterState(dataDir);
  if (state.kind === "cluster" && state.version === supportedMajorVersion) return false;
  if (state.kind !== "absent") {
    const found =
      state.kind === "foreign"
        ? "something that is not a cluster"
        : `a PostgreSQL ${state.version} cluster`;
    throw new Error(
      `${dataDir} holds ${found} (older Conclave versions kept a PGlite database there); ` +
        "move it aside to start with a new database (its data is not carried over)",
    );
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (account !== undefined) await chown(dataDir, account.uid, account.gid);

  const passwordFile = path.join(options.privateScratchDir, "initdb-password");
  await writePrivateFileAtomically(passwordFile, `${options.superuserPassword}\n`);
  if (account !== undefined) await chown(passwordFile, account.uid, account.gid);
  try {
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${options.superuser}`,
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      ...(options.noSync === true ? ["--no-sync"] : []),
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(binaries.initdb, args, {
        env: serverEnv(),
        stdio: ["ignore", "ignore", "pipe"],
        ...(account === undefined ? {} : { uid: account.uid, gid: account.gid }),
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`initdb failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      });
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
  return true;
}
