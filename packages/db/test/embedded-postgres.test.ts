import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../src/create-prisma-client";
import { verifyAuditChain } from "../src/audit/verify-audit-chain";
import { writeAudit } from "../src/audit/write-audit";
import {
  startEmbeddedPostgres,
  type EmbeddedDatabasePasswords,
} from "../src/embedded/start-embedded-postgres";

const passwords: EmbeddedDatabasePasswords = {
  superuser: "embedded-test-superuser",
  owner: "embedded-test-owner",
  app: "embedded-test-app",
};

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}

function withPassword(url: string, password: string): string {
  const changed = new URL(url);
  changed.password = password;
  return changed.toString();
}

function acceptsConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

/** Every path under dir whose mode lets group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (((await stat(full)).mode & 0o077) !== 0) found.push(full);
  }
  return found;
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
    "serves a migrated database to the restricted role with passwords, and refuses a second start",
    { timeout: 180_000 },
    async () => {
      const embedded = await startEmbeddedPostgres({ dataDir, passwords });
      try {
        expect(embedded.appliedMigrations.length).toBeGreaterThan(0);
        expect((await readFile(path.join(dataDir, "PG_VERSION"), "utf8")).trim()).toBe("15");
        expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
        expect(await openToOthers(dataDir)).toEqual([]);
        expect((await readFile(`${dataDir}.lock`, "utf8")).trim()).toBe(String(process.pid));

        expect(await sql(embedded.url, "SELECT current_user AS role")).toEqual([
          { role: "conclave_app" },
        ]);
        expect(await sql(embedded.migrationUrl, "SELECT current_user AS role")).toEqual([
          { role: "conclave_owner" },
        ]);
        // Password authentication, not trust: a wrong or missing password is refused.
        await expect(sql(withPassword(embedded.url, "wrong"), "SELECT 1")).rejects.toThrow(
          /password authentication failed/,
        );
        await expect(sql(withPassword(embedded.migrationUrl, ""), "SELECT 1")).rejects.toThrow(
          /password/,
        );
        // The app role cannot escape into the owner: no SET ROLE, no DDL.
        await expect(sql(embedded.url, "SET ROLE conclave_owner")).rejects.toThrow(
          /permission denied/,
        );
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
              details: { role: user.role },
            });
          });
          await expect(prisma.user.create({ data: user })).rejects.toMatchObject({ code: "P2002" });
          expect(await prisma.user.count()).toBe(1);
          await expect(prisma.auditEvent.deleteMany()).rejects.toThrow(/permission denied/);
          expect(await verifyAuditChain(prisma)).toEqual({ ok: true, count: 1 });
        } finally {
          await prisma.$disconnect();
        }

        await expect(startEmbeddedPostgres({ dataDir, passwords })).rejects.toThrow(
          `another Conclave is using ${dataDir}`,
        );
      } finally {
        await embedded.stop();
      }
      await expect(stat(`${dataDir}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
      await expect(stat(path.join(dataDir, "postmaster.pid"))).rejects.toMatchObject({
        code: "ENOENT",
      });
      expect(await acceptsConnections(embedded.url)).toBe(false);
      expect(await readFile(path.join(root, "db.log"), "utf8")).toContain(
        "database system is shut down",
      );

      // A lock left by a dead process is taken over; the data survived the restart.
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
      await writeFile(`${dataDir}.lock`, `${dead.stdout.toString()}\n`);
      const again = await startEmbeddedPostgres({ dataDir, passwords });
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

  it(
    "recovers when the previous run was killed and left its server running",
    { timeout: 180_000 },
    async () => {
      const modulePath = path.resolve(
        import.meta.dirname,
        "../src/embedded/start-embedded-postgres.ts",
      );
      const script = `
        const { startEmbeddedPostgres } = await import(${JSON.stringify(modulePath)});
        const db = await startEmbeddedPostgres(${JSON.stringify({ dataDir, passwords })});
        process.stdout.write("ready " + db.url + "\\n");
        setInterval(() => undefined, 1000);`;
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const orphanUrl = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /ready (\S+)/.exec(output);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
        child.once("exit", (code) => {
          reject(new Error(`the first run exited (${code}) before it was ready: ${output}`));
        });
      });
      const orphanPid = Number(
        (await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0],
      );
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      // The killed run's server is still there, holding postmaster.pid.
      expect(await sql(orphanUrl, "SELECT 1 AS up")).toEqual([{ up: 1 }]);

      const recovered = await startEmbeddedPostgres({ dataDir, passwords });
      try {
        expect(() => process.kill(orphanPid, 0)).toThrow();
        expect(await sql(recovered.url, 'SELECT count(*)::int AS users FROM "User"')).toEqual([
          { users: 1 },
        ]);
      } finally {
        await recovered.stop();
      }
    },
  );
});
