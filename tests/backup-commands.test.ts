// The backup and secrets commands as operator CLI processes against a real PostgreSQL:
// failed runs are recorded, --stdout streams a verifiable backup, `backup last` reads
// the record, pruning applies the policy to real files, and the secrets backup goes to
// its own recipient and comes back as 0600 files.
import { spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import {
  generateBackupKeys,
  type GeneratedBackupKeys,
} from "@conclave/ws-server/cli/commands/backup/generate-backup-keys";
import { runOperatorCli } from "../apps/ws-server/test/run-cli";
import { ageTool } from "../scripts/test-services/age";
import { postgresClientTool } from "../scripts/test-services/postgres-client";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const root = path.resolve(import.meta.dirname, "..");
const peppers = {
  INVITE_CODE_PEPPER: "commands-invite-pepper-0123456789abcdef",
  API_KEY_PEPPER: "commands-api-key-pepper-0123456789abcdef",
  REFRESH_TOKEN_PEPPER: "commands-refresh-pepper-0123456789abcdef",
};

/** The CLI with its stdout kept as bytes (a backup streamed to stdout is binary). */
function runCliToBuffer(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "apps/ws-server/src/cli/conclave.ts",
        ...args,
      ],
      { cwd: root, env: { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } },
    );
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => {
      resolve({ code, stdout: Buffer.concat(chunks), stderr });
    });
  });
}

describe("backup and secrets commands", { timeout: 120_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), "conclave-backup-commands-"));
  const backupDir = path.join(work, "backups");
  let keys: GeneratedBackupKeys;
  let database: TestDatabase;
  let prisma: PrismaClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    keys = await generateBackupKeys(path.join(work, "keys"));
    database = await createTestDatabase();
    prisma = createPrismaClient({ url: database.appUrl, max: 2 });
    env = {
      NODE_ENV: "test",
      DATABASE_MIGRATION_URL: database.ownerUrl,
      BACKUP_RECIPIENTS: keys.backupRecipient,
      BACKUP_SIGNING_KEY_FILE: keys.signingKeyFile,
      BACKUP_SIGNING_PUBLIC_KEY: keys.signingPublicKey,
      BACKUP_DIR: backupDir,
      POSTGRES_BIN_DIR: provisionedTool(postgresClientTool),
    };
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it("`backup last` says there is no successful backup yet, with exit 1", async () => {
    const result = await runOperatorCli(["backup", "last"], env);
    expect(result.stdout.trim()).toBe("no successful backup");
    expect(result.code).toBe(1);
  });

  it("records a failed run and leaves no file behind", async () => {
    const result = await runOperatorCli(["backup", "create"], {
      ...env,
      POSTGRES_BIN_DIR: path.join(work, "no-such-folder"),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pg_dump and pg_restore 15 not found/u);
    expect(existsSync(backupDir) ? readdirSync(backupDir) : []).toEqual([]);
    const runs = await prisma.backupRun.findMany();
    expect(runs.map((run) => [run.kind, run.status])).toEqual([["DATABASE", "FAILED"]]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "backup_create" } });
    expect(audit.outcome).toBe("FAILURE");
    expect(audit.details).toMatchObject({ kind: "database", fileName: null });
  });

  it("streams a backup to stdout with its manifest in a file, and it verifies", async () => {
    const manifest = path.join(work, "streamed.manifest.json");
    const result = await runCliToBuffer(
      ["backup", "create", "--stdout", "--manifest", manifest],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^backup written: \(stdout\)/u);
    expect(result.stdout.subarray(0, 21).toString()).toBe("age-encryption.org/v1");
    const file = path.join(work, "streamed.age");
    writeFileSync(file, result.stdout);
    const verified = await runOperatorCli(
      ["backup", "verify", file, "--manifest", manifest, "--identity", keys.backupIdentityFile],
      env,
    );
    expect(verified.stdout).toMatch(/backup OK/u);
    expect(verified.code).toBe(0);
  });

  it("writes standard age files: the reference age tool decrypts one for pg_restore", async () => {
    const file = path.join(work, "streamed.age");
    const archive = await new Promise<{ code: number | null; listing: string }>(
      (resolve, reject) => {
        const age = spawn(provisionedTool(ageTool), ["-d", "-i", keys.backupIdentityFile, file]);
        const list = spawn(path.join(provisionedTool(postgresClientTool), "pg_restore"), [
          "--list",
        ]);
        age.stdout.pipe(list.stdin);
        let listing = "";
        list.stdout.on("data", (chunk: Buffer) => (listing += chunk.toString("utf8")));
        list.once("error", reject);
        list.once("close", (code) => {
          resolve({ code, listing });
        });
      },
    );
    expect(archive.code).toBe(0);
    expect(archive.listing).toMatch(/TABLE DATA public AuditEvent /u);
  });

  it("`backup last` prints the time of the last successful backup", async () => {
    const run = await prisma.backupRun.findFirstOrThrow({ where: { status: "SUCCEEDED" } });
    const result = await runOperatorCli(["backup", "last"], env);
    expect(result.stdout.trim()).toBe(run.finishedAt?.toISOString());
    expect(result.code).toBe(0);
  });

  it("prunes a folder to the policy, leaving files without a manifest alone", async () => {
    const created = await runOperatorCli(["backup", "create"], env);
    expect(created.code).toBe(0);
    const [original] = readdirSync(backupDir).filter((name) => name.endsWith(".age"));
    if (original === undefined) throw new Error("no backup written");
    const source = path.join(backupDir, original);
    const manifest = JSON.parse(readFileSync(`${source}.manifest.json`, "utf8")) as object;
    rmSync(source);
    rmSync(`${source}.manifest.json`);
    for (let day = 1; day <= 10; day++) {
      const stamp = `202611${String(day).padStart(2, "0")}T023000Z`;
      const file = path.join(backupDir, `conclave-db-${stamp}.age`);
      copyFileSync(path.join(work, "streamed.age"), file);
      const createdAt = `2026-11-${String(day).padStart(2, "0")}T02:30:00.000Z`;
      writeFileSync(`${file}.manifest.json`, JSON.stringify({ ...manifest, createdAt }));
    }
    writeFileSync(path.join(backupDir, "conclave-db-20261001T023000Z.age"), "orphan");
    const result = await runOperatorCli(
      ["backup", "prune", "--daily", "3", "--weekly", "0", "--monthly", "0"],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kept 3 backup\(s\), removed 7/u);
    expect(readdirSync(backupDir).sort()).toEqual([
      "conclave-db-20261001T023000Z.age",
      "conclave-db-20261108T023000Z.age",
      "conclave-db-20261108T023000Z.age.manifest.json",
      "conclave-db-20261109T023000Z.age",
      "conclave-db-20261109T023000Z.age.manifest.json",
      "conclave-db-20261110T023000Z.age",
      "conclave-db-20261110T023000Z.age.manifest.json",
    ]);
  });

  it("refuses a secrets backup to a database backup recipient", async () => {
    const result = await runOperatorCli(["secrets", "backup", "--out", path.join(work, "s0")], {
      ...env,
      ...peppers,
      SECRETS_BACKUP_RECIPIENTS: keys.backupRecipient,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SECRETS_BACKUP_RECIPIENTS must differ from BACKUP_RECIPIENTS/u);
  });

  it("backs the secrets up to their own recipient and restores them as 0600 files", async () => {
    const out = path.join(work, "secrets");
    const backup = await runOperatorCli(["secrets", "backup", "--out", out], {
      ...env,
      ...peppers,
      SECRETS_BACKUP_RECIPIENTS: keys.secretsRecipient,
    });
    expect(backup.code).toBe(0);
    const [file] = readdirSync(out).filter((name) => name.endsWith(".age"));
    if (file === undefined) throw new Error("no secrets backup written");
    const secretsFile = path.join(out, file);
    for (const written of [secretsFile, `${secretsFile}.manifest.json`]) {
      const bytes = readFileSync(written);
      for (const value of Object.values(peppers)) expect(bytes.includes(value)).toBe(false);
    }
    const wrong = await runOperatorCli(
      [
        "secrets",
        "restore",
        secretsFile,
        "--identity",
        keys.backupIdentityFile,
        "--into",
        path.join(work, "r0"),
      ],
      env,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no identity matched/u);
    const into = path.join(work, "restored");
    const restored = await runOperatorCli(
      ["secrets", "restore", secretsFile, "--identity", keys.secretsIdentityFile, "--into", into],
      { NODE_ENV: "test", BACKUP_SIGNING_PUBLIC_KEY: keys.signingPublicKey },
    );
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(
      `INVITE_CODE_PEPPER_FILE=${path.join(into, "invite_code_pepper")}`,
    );
    for (const [name, value] of Object.entries(peppers)) {
      const restoredFile = path.join(into, name.toLowerCase());
      expect(readFileSync(restoredFile, "utf8")).toBe(`${value}\n`);
      expect(statSync(restoredFile).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(path.join(into, "backup_signing_key"), "utf8")).toBe(
      readFileSync(keys.signingKeyFile, "utf8"),
    );
    const again = await runOperatorCli(
      ["secrets", "restore", secretsFile, "--identity", keys.secretsIdentityFile, "--into", into],
      { NODE_ENV: "test", BACKUP_SIGNING_PUBLIC_KEY: keys.signingPublicKey },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refusing to overwrite/u);
    const runs = await prisma.backupRun.findMany({ where: { kind: "SECRETS" } });
    expect(runs.map((run) => run.status)).toEqual(["SUCCEEDED"]);
  });
});
