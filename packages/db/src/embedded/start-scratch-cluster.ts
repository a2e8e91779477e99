// A throwaway cluster in a temporary folder, for tools that need a real PostgreSQL for a
// few seconds (the schema engine's diffs): no durability, removed on stop.
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "./free-loopback-port";
import { initialiseCluster } from "./initialise-cluster";
import { findPostgresBinaries } from "./postgres-binaries";
import { ensureServiceAccount } from "./service-account";
import { assertAccountReaches, letAccountTraverse } from "./service-account-access";
import { startPostmaster, type Postmaster } from "./start-postmaster";

export interface ScratchCluster {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export async function startScratchCluster(): Promise<ScratchCluster> {
  const root = await mkdtemp(path.join(tmpdir(), "conclave-scratch-pg-"));
  let postmaster: Postmaster | undefined;
  try {
    const binaries = await findPostgresBinaries();
    const account = ensureServiceAccount();
    const dataDir = path.join(root, "data");
    const privateDir = path.join(root, "private");
    await mkdir(privateDir, { mode: 0o700 });
    if (account !== undefined) {
      await letAccountTraverse(root, account);
      await chown(privateDir, account.uid, account.gid);
      await assertAccountReaches(binaries.postgres, account, "the PostgreSQL binaries");
    }
    const password = randomBytes(24).toString("base64url");
    await initialiseCluster({
      dataDir,
      privateScratchDir: privateDir,
      superuser: "postgres",
      superuserPassword: password,
      binaries,
      account,
      noSync: true,
    });
    await chmod(dataDir, 0o700);
    const host = "127.0.0.1";
    const port = await freeLoopbackPort(host);
    postmaster = await startPostmaster({
      dataDir,
      host,
      port,
      binaries,
      account,
      logFile: path.join(root, "server.log"),
      extraSettings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
    });
    const url = new URL(`postgres://${host}:${port}/postgres`);
    url.username = "postgres";
    url.password = password;
    const running = postmaster;
    return {
      url: url.toString(),
      async stop() {
        await running.stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await postmaster?.stop();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
