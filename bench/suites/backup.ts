// What a backup costs the service: 2-of-3 signing ceremonies through the ws-server
// over WSS, measured alone (the baseline) and while `backup create` runs back to back
// as a separate operator CLI process (pg_dump of an exported snapshot, encrypted with
// age as it streams) on the same database, which holds 100k audit rows. Also prints
// how long one backup takes with and without ceremonies running, and its size.
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { generateBackupKeys } from "@conclave/ws-server/cli/commands/backup/generate-backup-keys";
import { startGuardianFrontDoor } from "../../apps/ws-server/test/guardian-front-door";
import { runOperatorCli } from "../../apps/ws-server/test/run-cli";
import {
  closeAll,
  createAdmin,
  createBitcoinTransaction,
  enrolVault,
  keygenAll,
  loadKeyShares,
  signAll,
} from "../../apps/ws-server/test/support/guardian-ceremonies";
import { postgresClientTool } from "../../scripts/test-services/postgres-client";
import { measure, report } from "../measure";

const AUDIT_ROWS = 100_000;

// Bulk rows as the chain's predecessors would leave them; the backup reads them, it
// does not verify them.
async function seedAuditRows(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "AuditEvent" ("at", "actorType", "actorId", "action", "targetType", "targetId", "outcome", "details", "prevHash", "hash")
       SELECT now(), 'SYSTEM', 'bench', 'user.login', 'user', md5(i::text), 'SUCCESS',
              jsonb_build_object('firstSignIn', false),
              md5((i - 1)::text) || md5((i - 1)::text || 'x'), md5(i::text) || md5(i::text || 'x')
         FROM generate_series(1, $1::int) AS i`,
      [AUDIT_ROWS],
    );
  } finally {
    await client.end();
  }
}

export async function backupBench(): Promise<void> {
  const binDir = postgresClientTool.find();
  if (binDir === undefined) throw new Error("install postgresql-client-15 for pg_dump");
  // The limits are sized for people, not for a bench that signs continuously.
  const door = await startGuardianFrontDoor({
    RATE_LIMIT_GUARDIAN_PER_MINUTE: "1000000",
    RATE_LIMIT_ADMIN_READS_PER_MINUTE: "1000000",
    RATE_LIMIT_ADMIN_WRITES_PER_MINUTE: "1000000",
  });
  const work = await mkdtemp(path.join(tmpdir(), "conclave-bench-backup-"));
  const adminId = await createAdmin(door, "bench-backup@example.test");
  const vault = await enrolVault(door, adminId, {
    name: "Backup bench vault",
    threshold: 2,
    guardianCount: 3,
  });
  try {
    await seedAuditRows(door.database.ownerUrl);
    await keygenAll(vault);
    const keyShares = await loadKeyShares(vault);
    const keys = await generateBackupKeys(path.join(work, "keys"));
    const backupDir = path.join(work, "backups");
    const env = {
      NODE_ENV: "test",
      DATABASE_MIGRATION_URL: door.database.ownerUrl,
      BACKUP_RECIPIENTS: keys.backupRecipient,
      BACKUP_SIGNING_KEY_FILE: keys.signingKeyFile,
      BACKUP_DIR: backupDir,
      POSTGRES_BIN_DIR: binDir,
    };
    const backupDurations: number[] = [];
    const backupOnce = async () => {
      const started = performance.now();
      const result = await runOperatorCli(["backup", "create"], env);
      if (result.code !== 0) throw new Error(`backup create failed: ${result.stderr}`);
      backupDurations.push(performance.now() - started);
    };
    let serial = 0;
    const ceremony = async () => {
      const transaction = await createBitcoinTransaction(door, adminId, vault.vaultId, {
        amount: String(10_000 + ++serial),
      });
      await signAll(vault, keyShares, transaction.id);
    };

    await backupOnce();
    const quietBackupMs = backupDurations.splice(0).reduce((a, b) => a + b, 0);
    const options = { total: 24, concurrency: 4, warmup: 2 };
    const baseline = await measure("ceremonies alone (4 at a time)", ceremony, options);
    const loop = { running: true };
    const backups = (async () => {
      while (loop.running) await backupOnce();
    })();
    const during = await measure("ceremonies while backups run back to back", ceremony, options);
    loop.running = false;
    await backups;
    report(`2-of-3 signing ceremonies, database with ${AUDIT_ROWS} audit rows`, baseline, [during]);
    const files = (await readdir(backupDir)).filter((name) => name.endsWith(".age"));
    const sizes = await Promise.all(files.map((name) => stat(path.join(backupDir, name))));
    const meanLoaded = backupDurations.reduce((a, b) => a + b, 0) / backupDurations.length;
    console.table([
      {
        "backup create (CLI process)": "alone",
        seconds: (quietBackupMs / 1000).toFixed(1),
        "MiB (encrypted)": ((sizes[0]?.size ?? 0) / 2 ** 20).toFixed(1),
      },
      {
        "backup create (CLI process)": `during ceremonies (mean of ${backupDurations.length})`,
        seconds: (meanLoaded / 1000).toFixed(1),
        "MiB (encrypted)": ((sizes.at(-1)?.size ?? 0) / 2 ** 20).toFixed(1),
      },
    ]);
  } finally {
    await closeAll([vault]);
    await door.close();
    await rm(work, { recursive: true, force: true });
  }
}
