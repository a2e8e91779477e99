// The disaster-recovery drill (issue 14, item 7), with real PostgreSQL, real pg_dump and
// pg_restore, the real operator CLI and ws-server processes and guardians on the real SDK:
// build state, back up, destroy the database, restore into a new cluster, start the
// ws-server on it, and have the same guardians log in with their identity keys and sign.
// A tampered backup, the wrong identity and a non-empty target are each refused by
// `backup restore`, the first two leaving the new database untouched.
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { runKeygen } from "@conclave/client/keygen/run-keygen";
import { loadKeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { loadGuardianState, saveGuardianState } from "@conclave/client/state/state-file";
import {
  startScratchCluster,
  type ScratchCluster,
} from "@conclave/db/embedded/start-scratch-cluster";
import { provisionDatabase } from "@conclave/db/roles/provision-database";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { loadWsServerConfig } from "@conclave/ws-server/config";
import {
  createApiDependencies,
  type OwnedApiDependencies,
} from "@conclave/ws-server/create-api-dependencies";
import {
  generateBackupKeys,
  type GeneratedBackupKeys,
} from "@conclave/ws-server/cli/commands/backup/generate-backup-keys";
import { runOperatorCli } from "../apps/ws-server/test/run-cli";
import { spawnWsServer, type SpawnedWsServer } from "../apps/ws-server/test/spawn-ws-server";
import { createTempTlsFiles } from "../apps/ws-server/test/temp-tls-files";
import { freePort } from "../scripts/test-services/free-port";
import { postgresClientTool } from "../scripts/test-services/postgres-client";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const meta = { ip: null, userAgent: null, requestId: "backup-drill" };
const passphrase = "drill passphrase";

describe("backup and restore drill", { timeout: 240_000 }, () => {
  const tls = createTempTlsFiles();
  const work = mkdtempSync(path.join(tmpdir(), "conclave-drill-"));
  const backupDir = path.join(work, "backups");
  let keys: GeneratedBackupKeys;
  let source: TestDatabase | undefined;
  let cluster: ScratchCluster | undefined;
  let restored: { ownerUrl: string; appUrl: string };
  let serverEnv: Record<string, string>;
  let server: SpawnedWsServer | undefined;
  let api: OwnedApiDependencies | undefined;
  let adminId: string;
  let vaultId: string;
  let backupFile: string;
  let firstTransactionId: string;
  const stateDirs: string[] = [];
  let guardians: GuardianClient[] = [];

  const cliEnv = (extra: Record<string, string>) => ({
    NODE_ENV: "test",
    POSTGRES_BIN_DIR: provisionedTool(postgresClientTool),
    BACKUP_SIGNING_PUBLIC_KEY: keys.signingPublicKey,
    ...extra,
  });

  const adminSide = async (databaseUrl: string) => {
    api = await createApiDependencies(
      loadWsServerConfig({ ...serverEnv, DATABASE_URL: databaseUrl }),
      {
        logger: createLogger({ name: "drill-admin", level: "silent" }),
      },
    );
    return api;
  };

  const startServer = async (databaseUrl: string) => {
    server = spawnWsServer({ ...serverEnv, DATABASE_URL: databaseUrl });
    await server.waitForLog((entry) => entry.msg === "ws-server listening");
  };

  const stopServer = async () => {
    server?.kill("SIGTERM");
    await server?.exited;
    server = undefined;
  };

  const openGuardians = () => {
    guardians = stateDirs.map((stateDir) =>
      createGuardianClient({
        serverUrl: serverEnv.PUBLIC_WS_ORIGIN ?? "",
        ca: tls.cert,
        stateDir,
        retryDelayMs: () => 200,
      }),
    );
  };

  const closeGuardians = async () => {
    for (const client of guardians) await client.close();
    guardians = [];
  };

  const sign = async (index: number, transactionId: string) => {
    const client = guardians[index];
    const stateDir = stateDirs[index];
    if (client === undefined || stateDir === undefined) throw new Error(`no guardian ${index}`);
    const review = await reviewTransaction(client, vaultId, transactionId);
    const keyShare = await loadKeyShare(stateDir, vaultId, passphrase);
    return runSigning(client, { review, keyShare, recheckMs: 500 });
  };

  const newTransaction = async (admin: OwnedApiDependencies, memo: string) =>
    createTransaction(
      admin.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      {
        vaultId,
        fields: transactionFieldsSchema.parse({
          chain: "bitcoin",
          network: "testnet",
          destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
          amount: "42000",
          memo,
        }),
      },
    );

  beforeAll(async () => {
    keys = await generateBackupKeys(path.join(work, "keys"));
    source = await createTestDatabase();
    const port = await freePort();
    serverEnv = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      CONCLAVE_HOME: tls.dir,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      WS_SERVER_HOST: "127.0.0.1",
      WS_SERVER_PORT: String(port),
      WS_SERVER_HTTP_PORT: "0",
      PUBLIC_WS_ORIGIN: `https://localhost:${port}`,
      INVITE_CODE_PEPPER: "drill-invite-pepper-0123456789abcdef",
      API_KEY_PEPPER: "drill-api-key-pepper-0123456789abcdef",
      REFRESH_TOKEN_PEPPER: "drill-refresh-pepper-0123456789abcdef",
      LOG_HMAC_KEY: "drill-log-hmac-0123456789abcdef",
      JWT_KEYRING_FILE: tls.write(
        "jwt-keyring.json",
        serializeKeyring(await createKeyring(new Date())),
        0o600,
      ),
      ...(process.env.REDIS_URL === undefined ? {} : { REDIS_URL: process.env.REDIS_URL }),
    };
    const admin = await adminSide(source.appUrl);
    const user = await admin.deps.prisma.user.create({
      data: { email: "drill@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = user.id;
    const actor = { actorType: "USER" as const, actorId: adminId, createdById: adminId };
    vaultId = (
      await createVault(admin.deps, meta, actor, {
        name: "Drill vault",
        chain: "bitcoin",
        network: "testnet",
        threshold: 2,
        guardianCount: 3,
      })
    ).id;
    await startServer(source.appUrl);
    for (let i = 1; i <= 3; i++) stateDirs.push(path.join(work, `guardian-${i}`));
    openGuardians();
    for (const [i, client] of guardians.entries()) {
      const invitation = await createInvitation(admin.deps, meta, actor, {
        vaultId,
        role: "GUARDIAN",
      });
      await client.join({ vaultId, code: invitation.code, deviceName: `device-${i + 1}` });
    }
    await Promise.all(
      guardians.map((client, i) =>
        runKeygen(client, { vaultId, passphrase, stateDir: stateDirs[i] ?? "", recheckMs: 500 }),
      ),
    );
    firstTransactionId = (await newTransaction(admin, "Before the disaster")).id;
    await Promise.all([sign(0, firstTransactionId), sign(1, firstTransactionId)]);
  });

  afterAll(async () => {
    await closeGuardians();
    await stopServer();
    await api?.close();
    await source?.drop();
    await cluster?.stop();
    tls.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it("backs up the running system with `backup create`", async () => {
    const result = await runOperatorCli(
      ["backup", "create"],
      cliEnv({
        DATABASE_MIGRATION_URL: source?.ownerUrl ?? "",
        BACKUP_RECIPIENTS: keys.backupRecipient,
        BACKUP_SIGNING_KEY_FILE: keys.signingKeyFile,
        BACKUP_DIR: backupDir,
      }),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const file = readdirSync(backupDir).find((name) => name.endsWith(".age"));
    expect(file).toMatch(/^conclave-db-\d{8}T\d{6}Z\.age$/u);
    backupFile = path.join(backupDir, file ?? "");
    // Neither the backup nor its manifest carries a secret in plaintext.
    const bytes = readFileSync(backupFile);
    for (const secret of [
      serverEnv.INVITE_CODE_PEPPER,
      "drill@example.test",
      "Before the disaster",
    ]) {
      expect(bytes.includes(Buffer.from(secret ?? ""))).toBe(false);
    }
    const manifest = JSON.parse(readFileSync(`${backupFile}.manifest.json`, "utf8")) as {
      content: { rowCounts: Record<string, number>; auditHead: { seq: string } };
    };
    expect(manifest.content.rowCounts.Transaction).toBe(1);
    expect(Number(manifest.content.auditHead.seq)).toBeGreaterThan(10);
    expect(result.stdout).toContain(`audit head ${manifest.content.auditHead.seq}`);
  });

  it("verifies the backup with the backup identity, without restoring", async () => {
    const result = await runOperatorCli(
      ["backup", "verify", backupFile, "--identity", keys.backupIdentityFile],
      cliEnv({}),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/backup OK: signed manifest/u);
    expect(result.stdout).toMatch(/archive: \d+ entries/u);
  });

  it("loses the database, and provisions an empty one in a new cluster", async () => {
    await closeGuardians();
    await stopServer();
    await api?.close();
    api = undefined;
    await source?.drop();
    source = undefined;
    cluster = await startScratchCluster();
    restored = await provisionDatabase({
      superuserUrl: cluster.url,
      database: "conclave",
      ownerPassword: "drill-owner-password",
      appPassword: "drill-app-password",
    });
    expect(restored.ownerUrl).toMatch(/^postgres:\/\/conclave_owner:/u);
  });

  it("refuses to restore a backup with one byte flipped", async () => {
    const tampered = path.join(work, "tampered.age");
    copyFileSync(backupFile, tampered);
    copyFileSync(`${backupFile}.manifest.json`, `${tampered}.manifest.json`);
    const bytes = readFileSync(tampered);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    writeFileSync(tampered, bytes);
    const result = await runOperatorCli(
      ["backup", "restore", tampered, "--identity", keys.backupIdentityFile],
      cliEnv({ RESTORE_DATABASE_URL: restored.ownerUrl }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not match its signed manifest \(sha256 differs\)/u);
  });

  it("refuses to restore with the wrong identity", async () => {
    const result = await runOperatorCli(
      ["backup", "restore", backupFile, "--identity", keys.secretsIdentityFile],
      cliEnv({ RESTORE_DATABASE_URL: restored.ownerUrl }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cannot decrypt: no identity matched any of the file's recipients/u,
    );
  });

  it("restores into the new cluster, which the refused attempts left empty", async () => {
    const result = await runOperatorCli(
      ["backup", "restore", backupFile, "--identity", keys.backupIdentityFile],
      cliEnv({ RESTORE_DATABASE_URL: restored.ownerUrl }),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/row counts match the manifest/u);
    expect(result.stdout).toMatch(/audit chain OK: \d+ rows, head \d+ matches/u);
    expect(result.stdout).toMatch(/restore OK/u);
  });

  it("refuses to restore into a database that is not empty", async () => {
    const result = await runOperatorCli(
      ["backup", "restore", backupFile, "--identity", keys.backupIdentityFile],
      cliEnv({ RESTORE_DATABASE_URL: restored.ownerUrl }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the target database is not empty/u);
  });

  it("serves the same vault: guardians log in with their identity keys and sign again", async () => {
    await startServer(restored.appUrl);
    // Sessions are dropped on the devices: only the identity key can open a new one.
    for (const stateDir of stateDirs) {
      const state = await loadGuardianState(stateDir);
      if (state === undefined) throw new Error("guardian state lost");
      await saveGuardianState(stateDir, { ...state, session: null });
    }
    openGuardians();
    const logins: string[] = [];
    for (const client of guardians) {
      client.on((event) => {
        if (event.type === "logged-in") logins.push(event.via);
      });
    }
    const admin = await adminSide(restored.appUrl);
    const vault = await admin.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    expect(vault.status).toBe("ACTIVE");
    const first = await admin.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: firstTransactionId },
    });
    expect(first.status).toBe("COMPLETED");
    const second = await newTransaction(admin, "After the restore");
    const signatures = await Promise.all([sign(1, second.id), sign(2, second.id)]);
    expect(signatures[0]).toBe(signatures[1]);
    const stored = await admin.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: second.id },
    });
    expect(stored.status).toBe("COMPLETED");
    expect(logins).toEqual(["challenge", "challenge"]);
  });

  it("verifies the audit chain across the restore", async () => {
    const result = await runOperatorCli(["audit", "verify"], {
      NODE_ENV: "test",
      DATABASE_URL: restored.appUrl,
    });
    expect(result.stdout).toMatch(/^audit chain OK: \d+ rows$/mu);
    expect(result.code).toBe(0);
    const admin = api;
    if (admin === undefined) throw new Error("no admin side");
    const actions = await admin.deps.prisma.auditEvent.findMany({
      where: { action: { in: ["backup_create", "backup_restore", "transaction_complete"] } },
      orderBy: { seq: "asc" },
      select: { action: true },
    });
    // The backup's own row was written after its snapshot, so it is not in the restore.
    expect(actions.map((row) => row.action)).toEqual([
      "transaction_complete",
      "backup_restore",
      "transaction_complete",
    ]);
  });
});
