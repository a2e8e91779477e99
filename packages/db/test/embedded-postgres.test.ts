import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../src/create-prisma-client";
import { verifyAuditChain } from "../src/audit/verify-audit-chain";
import { writeAudit } from "../src/audit/write-audit";
import { startEmbeddedPostgres } from "../src/embedded/start-embedded-postgres";

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "conclave-embedded-"));
    dataDir = path.join(root, "db");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it(
    "serves a migrated database as the restricted role and refuses a second start",
    { timeout: 180_000 },
    async () => {
      const embedded = await startEmbeddedPostgres({ dataDir });
      try {
        expect(embedded.appliedMigrations.length).toBeGreaterThan(0);
        expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
        expect((await readFile(`${dataDir}.lock`, "utf8")).trim()).toBe(String(process.pid));
        expect(await sql(embedded.url, "SELECT current_user AS role")).toEqual([
          { role: "conclave_app" },
        ]);
        await expect(sql(embedded.url, 'CREATE TABLE "Intruder" (id int)')).rejects.toThrow(
          /permission denied/,
        );

        const prisma = createPrismaClient({ url: embedded.url });
        try {
          const user = { email: "admin@example.test", passwordHash: "x", role: "ADMIN" as const };
          await prisma.$transaction(async (tx) => {
            await tx.user.create({ data: user });
            await writeAudit(tx, {
              actorType: "system",
              action: "user.create",
              outcome: "SUCCESS",
            });
          });
          await expect(prisma.user.create({ data: user })).rejects.toMatchObject({ code: "P2002" });
          // Connections keep working after the constraint error.
          expect(await prisma.user.count()).toBe(1);
          await expect(prisma.auditEvent.deleteMany()).rejects.toThrow(/permission denied/);
          expect(await verifyAuditChain(prisma)).toEqual({ ok: true, count: 1 });
        } finally {
          await prisma.$disconnect();
        }

        await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
          `another Conclave is using ${dataDir}`,
        );
      } finally {
        await embedded.stop();
      }
      await expect(stat(`${dataDir}.lock`)).rejects.toMatchObject({ code: "ENOENT" });

      // A lock left by a dead process is taken over; the data survived the restart.
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
      await writeFile(`${dataDir}.lock`, `${dead.stdout.toString()}\n`);
      const again = await startEmbeddedPostgres({ dataDir });
      try {
        expect(again.appliedMigrations).toEqual([]);
        expect(await sql(again.url, 'SELECT email FROM "User"')).toEqual([
          { email: "admin@example.test" },
        ]);
      } finally {
        await again.stop();
      }
    },
  );
});
