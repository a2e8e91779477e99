// A PostgreSQL cluster of its own that accepts only TLS over TCP, as production must
// (DATABASE_CA_FILE / sslmode=verify-full), with the owner and application roles.
import { execFileSync } from "node:child_process";
import { chownSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { provisionDatabase } from "@conclave/db/roles/provision-database";
import { runMigrations } from "@conclave/db/migrate/run-migrations";
import { freePort } from "../../scripts/test-services/free-port";
import { postgresTool } from "../../scripts/test-services/postgres";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";

export interface TlsPostgres {
  readonly port: number;
  /** Application role, without sslmode: the apps verify with DATABASE_CA_FILE. */
  readonly appUrl: string;
  readonly ownerUrl: string;
  stop(): void;
}

const isRoot = process.getuid?.() === 0;

function asPostgres(bin: string, args: string[]): void {
  if (isRoot) execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "pipe" });
  else execFileSync(bin, args, { stdio: "pipe" });
}

export async function startTlsPostgres(
  dir: string,
  tls: { certFile: string; keyFile: string; caFile: string },
): Promise<TlsPostgres> {
  const bin = provisionedTool(postgresTool);
  mkdirSync(dir, { mode: 0o700, recursive: true });
  const data = path.join(dir, "data");
  const owned = (file: string) => {
    if (!isRoot) return;
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(file, uid, gid);
  };
  owned(dir);
  asPostgres(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const serverCert = path.join(data, "server.crt");
  const serverKey = path.join(data, "server.key");
  copyFileSync(tls.certFile, serverCert);
  copyFileSync(tls.keyFile, serverKey);
  owned(serverCert);
  owned(serverKey);
  writeFileSync(
    path.join(data, "pg_hba.conf"),
    [
      "hostssl all postgres 127.0.0.1/32 trust",
      "hostssl all all 127.0.0.1/32 scram-sha-256",
      "host all all 0.0.0.0/0 reject",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const options = [
    `-p ${String(port)}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c ssl=on",
    "-c ssl_min_protocol_version=TLSv1.2",
    "-c fsync=off",
    "-c synchronous_commit=off",
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");
  asPostgres(pgCtl, ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  const superuserUrl = `postgres://postgres@localhost:${String(port)}/postgres?sslmode=no-verify`;
  const passwords = { owner: "tls-owner-Password-0123456789", app: "tls-app-Password-0123456789" };
  await provisionDatabase({
    superuserUrl,
    database: "conclave",
    ownerPassword: passwords.owner,
    appPassword: passwords.app,
  });
  const url = (role: string, password: string) =>
    `postgres://${role}:${password}@localhost:${String(port)}/conclave`;
  const ownerUrl = url("conclave_owner", passwords.owner);
  await runMigrations({ url: ownerUrl, caFile: tls.caFile, appRole: "conclave_app" });
  return {
    port,
    ownerUrl,
    appUrl: url("conclave_app", passwords.app),
    stop() {
      try {
        asPostgres(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already stopped.
      }
    },
  };
}
