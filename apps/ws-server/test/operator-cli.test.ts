import { randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activeKey,
  createKeyring,
  parseKeyring,
  serializeKeyring,
} from "@conclave/auth/jwt-keyring";
import { banCacheKey } from "@conclave/api/abuse/ban-service";
import { createProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import { systemClock } from "@conclave/api/clock/clock";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createLogger } from "@conclave/logger/create-logger";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { runOperatorCli } from "./run-cli";
import { createTempTlsFiles } from "./temp-tls-files";

async function asOwner(database: TestDatabase, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("operator CLI (npm run conclave)", () => {
  const files = createTempTlsFiles();
  let database: TestDatabase;
  let prisma: PrismaClient;
  let keyringFile: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient({ url: database.appUrl, max: 2 });
    keyringFile = files.write(
      "jwt-keyring.json",
      serializeKeyring(await createKeyring(new Date())),
      0o600,
    );
    env = { NODE_ENV: "test", DATABASE_URL: database.appUrl, JWT_KEYRING_FILE: keyringFile };
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
    files.remove();
  });

  it("keys rotate prints only the new kid, keeps the old key verifying, and audits", async () => {
    const before = await parseKeyring(readFileSync(keyringFile, "utf8"));
    const result = await runOperatorCli(["keys", "rotate"], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const after = await parseKeyring(readFileSync(keyringFile, "utf8"));
    const kid = activeKey(after).kid;
    expect(result.stdout).toBe(`${kid}\n`);
    expect(kid).not.toBe(activeKey(before).kid);
    // The retired key stays, so tokens it signed keep verifying until they expire.
    const retired = after.keys.find((key) => key.kid === activeKey(before).kid);
    expect(retired?.retiredAt).toBeInstanceOf(Date);
    expect(statSync(keyringFile).mode & 0o777).toBe(0o600);
    const rows = await prisma.auditEvent.findMany({ where: { targetId: kid } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.action).toBe("keys_rotate");
    expect(rows[0]?.details).toEqual({
      kid,
      retiredKid: activeKey(before).kid,
      pruned: 0,
      keyCount: after.keys.length,
    });
    expect(JSON.stringify(rows[0]?.details)).not.toContain(after.keys[0]?.privateJwk.d);
  });

  it("keys rotate without JWT_KEYRING_FILE exits 2 and changes nothing", async () => {
    const before = readFileSync(keyringFile, "utf8");
    const result = await runOperatorCli(["keys", "rotate"], {
      NODE_ENV: "test",
      DATABASE_URL: database.appUrl,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("JWT_KEYRING_FILE");
    expect(readFileSync(keyringFile, "utf8")).toBe(before);
  });

  it("audit verify reports an intact chain with its row count", async () => {
    expect((await runOperatorCli(["keys", "rotate"], env)).code).toBe(0);
    const count = await prisma.auditEvent.count();
    expect(count).toBe(2);
    const result = await runOperatorCli(["audit", "verify"], env);
    expect(result.stdout).toBe(`audit chain OK: ${count} rows\n`);
    expect(result.code).toBe(0);
  });

  it("audit verify names the first tampered row and exits 1", async () => {
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    const victim = rows.at(-1);
    if (victim === undefined) throw new Error("no audit rows");
    await asOwner(
      database,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete";
       UPDATE "AuditEvent" SET "actorId" = 'cli:mallory' WHERE seq = ${victim.seq.toString()};
       ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete";`,
    );
    const result = await runOperatorCli(["audit", "verify"], env);
    expect(result.stdout).toBe(
      `audit chain BROKEN at seq ${victim.seq.toString()}: hash does not match the row's contents\n`,
    );
    expect(result.code).toBe(1);
  });

  it("prints usage and exits 2 for an unknown command", async () => {
    const result = await runOperatorCli(["keys", "delete"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: npm run conclave");
  });
});

// Each run starts a CLI process (tsx): seconds apiece on a loaded machine.
describe("operator CLI: bans (real Redis)", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let redis: Redis;
  let env: Record<string, string>;
  const keyPrefix = `conclave-test:${randomUUID()}`;
  const redisUrl = process.env.REDIS_URL ?? "";

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient({ url: database.appUrl, max: 2 });
    redis = new Redis(redisUrl);
    env = {
      NODE_ENV: "test",
      DATABASE_URL: database.appUrl,
      REDIS_URL: redisUrl,
      ABUSE_REDIS_KEY_PREFIX: keyPrefix,
    };
  });
  afterAll(async () => {
    redis.disconnect();
    await prisma.$disconnect();
    await database.drop();
  });

  it("lists an active ban, lifts it (audited, gone from Redis) and refuses a second lift", async () => {
    const ip = "198.51.100.5";
    const server = await createProcessAbuseProtection({
      redisUrl,
      prisma,
      clock: systemClock,
      logger: createLogger({ name: "cli-test", level: "silent" }),
      overrides: { keyPrefix },
    });
    await server.abuse.bans.ban({
      ip,
      reason: "too many failed authentications",
      meta: { ip, userAgent: null, requestId: randomUUID() },
    });
    await server.close();
    expect(await redis.exists(banCacheKey(keyPrefix, ip))).toBe(1);

    const listed = await runOperatorCli(["bans", "list"], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^198\.51\.100\.5 {2}until \S+ {2}strike 1 {2}too many/u);

    const lifted = await runOperatorCli(["bans", "lift", ip], env);
    expect(lifted.stderr).toBe("");
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toContain(`lifted ${ip}`);
    expect(await redis.exists(banCacheKey(keyPrefix, ip))).toBe(0);
    const audit = await prisma.auditEvent.findMany({ where: { action: "ban_lift", targetId: ip } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorType).toBe("SYSTEM");
    expect(audit[0]?.actorId).toMatch(/^cli:/u);

    const again = await runOperatorCli(["bans", "lift", ip], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no active ban");
    const invalid = await runOperatorCli(["bans", "lift", "not-an-ip"], env);
    expect(invalid.code).toBe(2);
  });
});
