// Runs the server in its own process group, so a Ctrl-C on the terminal reaches only
// our supervisor, which stops the apps first and the database last.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { PostgresBinaries } from "./postgres-binaries";
import { serverEnv } from "./initialise-cluster";
import type { ServiceAccount } from "./service-account";

export interface StartPostmasterOptions {
  dataDir: string;
  host: string;
  port: number;
  /** Omitted: no Unix socket (its path would be too long, or it is not wanted). */
  socketDir?: string;
  binaries: PostgresBinaries;
  account?: ServiceAccount;
  /** Appends the server's own log here (created 0600). */
  logFile: string;
  extraSettings?: Record<string, string>;
}

export interface Postmaster {
  pid: number;
  stop(): Promise<void>;
}

const readyMessage = "database system is ready to accept connections";

/** Resolves once the server accepts connections; rejects with its last words if it exits. */
export async function startPostmaster(options: StartPostmasterOptions): Promise<Postmaster> {
  const settings: Record<string, string> = {
    listen_addresses: options.host,
    port: String(options.port),
    unix_socket_directories: options.socketDir ?? "",
    unix_socket_permissions: "0700",
    // The log must not carry data: no statement text, no DETAIL (a unique violation's
    // DETAIL quotes the duplicate value).
    log_min_error_statement: "panic",
    log_error_verbosity: "terse",
    ...options.extraSettings,
  };
  const args = ["-D", options.dataDir];
  for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);

  const log = createWriteStream(options.logFile, { flags: "a", mode: 0o600 });
  const child = spawn(options.binaries.postgres, args, {
    env: serverEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.account === undefined
      ? {}
      : { uid: options.account.uid, gid: options.account.gid }),
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  void exited.then(() => log.end());

  let recent = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new Error(`PostgreSQL did not become ready within 60 s: ${recent.trim()}`));
    }, 60_000);
    child.stderr.on("data", (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-2000);
      if (recent.includes(readyMessage)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start: ${recent.trim()}`));
    });
  });

  const pid = child.pid;
  if (pid === undefined) throw new Error("PostgreSQL has no pid");
  // Should this process end without stop() (an uncaught error), the server goes too.
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);
  let stopping: Promise<void> | undefined;
  return {
    pid,
    stop() {
      stopping ??= (async () => {
        process.off("exit", stopOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          // Fast shutdown: ends sessions, writes a checkpoint, removes postmaster.pid.
          child.kill("SIGINT");
          const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
