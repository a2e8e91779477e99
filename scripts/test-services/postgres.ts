import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureDevCertificates } from "../start/dev-certificates";
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
function asServiceUser(bin: string, args: string[], input?: string): void {
  const stdio = input === undefined ? "pipe" : undefined;
  if (process.getuid?.() === 0) {
    execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio, input });
  } else {
    execFileSync(bin, args, { stdio, input });
  }
}

// Production's shape, so every integration test exercises it: SCRAM passwords only (no
// trust, not even on the socket) and TLS only on TCP, verified against a CA made for this
// run. Without a `hostssl` line a plaintext connection finds no pg_hba entry at all.
const HBA = [
  "local all all scram-sha-256",
  "hostssl all all 127.0.0.1/32 scram-sha-256",
  "hostssl all all ::1/128 scram-sha-256",
].join("\n");

/**
 * `bin`: the folder `postgresTool` names; provisioned here when not given. The URL is
 * the superuser's, with `sslmode=verify-full` and the run's CA as `sslrootcert`, so every
 * client built from it (node-postgres, libpq's pg_dump) verifies the server.
 */
export async function startPostgres(workDir: string, bin?: string): Promise<RunningService> {
  bin ??= await provisionDebianTool(postgresTool);
  const dir = path.join(workDir, "pg");
  mkdirSync(path.join(dir, "tls"), { recursive: true, mode: 0o700 });
  const tls = ensureDevCertificates(path.join(dir, "tls"));
  const password = randomBytes(24).toString("base64url");
  const passwordFile = path.join(dir, "superuser-password");
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    for (const owned of [workDir, dir, path.join(dir, "tls"), tls.certFile, tls.keyFile])
      chownSync(owned, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  // Test processes run as other users too (the production build refuses root): they must
  // reach the CA certificate, which is public, but nothing else here.
  chmodSync(workDir, 0o711);
  chmodSync(dir, 0o711);
  chmodSync(path.join(dir, "tls"), 0o711);
  chmodSync(tls.caCertFile, 0o644);
  const port = await freePort();
  const data = path.join(dir, "data");
  asServiceUser(path.join(bin, "initdb"), [
    "-D",
    data,
    "--auth=scram-sha-256",
    `--pwfile=${passwordFile}`,
    "-U",
    "postgres",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  asServiceUser("/bin/sh", ["-c", `cat > '${path.join(data, "pg_hba.conf")}'`], HBA);
  // Durability is irrelevant for a throwaway cluster; speed is not.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c ssl=on",
    `-c ssl_cert_file=${tls.certFile}`,
    `-c ssl_key_file=${tls.keyFile}`,
    "-c ssl_min_protocol_version=TLSv1.2",
    "-c password_encryption=scram-sha-256",
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
  const url = new URL(`postgres://127.0.0.1:${port}/postgres`);
  url.username = "postgres";
  url.password = password;
  url.searchParams.set("sslmode", "verify-full");
  url.searchParams.set("sslrootcert", tls.caCertFile);
  return {
    url: url.toString(),
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
