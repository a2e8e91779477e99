import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../src/create-prisma-client";
import { verifyAuditChain } from "../src/audit/verify-audit-chain";
import { writeAudit, type AuditEventInput } from "../src/audit/write-audit";
import { createTestDatabase, type TestDatabase } from "../src/testing/create-test-database";

const vaultCreated = {
  name: "treasury",
  chain: "bitcoin",
  network: "mainnet",
  threshold: 2,
  guardianCount: 3,
};

const event = (overrides: { actorId?: string; name?: string } = {}): AuditEventInput => ({
  actorType: "user",
  actorId: overrides.actorId ?? "u-1",
  action: "vault.create",
  targetType: "vault",
  targetId: "v-1",
  ip: "192.0.2.7",
  userAgent: "vitest",
  requestId: "req-1",
  outcome: "SUCCESS",
  details: { ...vaultCreated, name: overrides.name ?? vaultCreated.name },
});

async function asOwner(db: TestDatabase, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("audit chain", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient({ url: db.appUrl, max: 8 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it("links rows, redacts details and verifies, with 20 concurrent writers keeping one chain", async () => {
    const first = await prisma.$transaction((tx) =>
      writeAudit(tx, event({ name: "treasury Bearer hunter2abc" })),
    );
    expect(first.prevHash).toBe("0".repeat(64));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: first.seq } });
    expect(stored.details).toEqual({ ...vaultCreated, name: "treasury Bearer [REDACTED]" });
    expect(stored.at.toISOString()).toBe(first.at.toISOString());

    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        prisma.$transaction((tx) => writeAudit(tx, event({ actorId: `writer-${index}` })), {
          timeout: 20_000,
        }),
      ),
    );
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(21);
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(21);
    expect(await verifyAuditChain(prisma, { batchSize: 4 })).toEqual({ ok: true, count: 21 });
  });

  it("refuses to run outside a transaction", async () => {
    await expect(writeAudit(prisma, event())).rejects.toThrow("caller's transaction");
  });

  it("leaves no row when the caller's transaction rolls back", async () => {
    const before = await prisma.auditEvent.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await writeAudit(tx, { ...event(), action: "user.create", details: { role: "ADMIN" } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await prisma.auditEvent.count()).toBe(before);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true, count: before });
  });

  it("refuses UPDATE, DELETE and TRUNCATE from the application role", async () => {
    const [row] = await prisma.auditEvent.findMany({ take: 1 });
    if (row === undefined) throw new Error("expected audit rows");
    await expect(
      prisma.auditEvent.update({ where: { seq: row.seq }, data: { actorId: "mallory" } }),
    ).rejects.toThrow(/permission denied/);
    await expect(prisma.auditEvent.delete({ where: { seq: row.seq } })).rejects.toThrow(
      /permission denied/,
    );
    await expect(prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(
      /permission denied/,
    );
    // The owner is stopped by the trigger.
    await expect(asOwner(db, `DELETE FROM "AuditEvent" WHERE seq = ${row.seq}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(asOwner(db, `UPDATE "AuditEvent" SET ip = NULL`)).rejects.toThrow(/append-only/);
    await expect(asOwner(db, `TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(prisma)).toMatchObject({ ok: true });
  });

  it("finds a row tampered with by the owner at its exact seq", async () => {
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    const victim = rows[7];
    if (victim === undefined) throw new Error("expected audit rows");
    await asOwner(
      db,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete";
       UPDATE "AuditEvent" SET "actorId" = 'mallory' WHERE seq = ${victim.seq};
       ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete";`,
    );
    expect(await verifyAuditChain(prisma, { batchSize: 3 })).toEqual({
      ok: false,
      brokenSeq: victim.seq,
      reason: "hash does not match the row's contents",
      count: 7,
    });

    // Recomputing the tampered row's hash still breaks the next link.
    const { computeAuditHash } = await import("../src/audit/canonical-audit-encoding");
    const { toAuditActionName } = await import("../src/audit/audit-action");
    const forged = await prisma.auditEvent.findUniqueOrThrow({ where: { seq: victim.seq } });
    const forgedHash = computeAuditHash({
      ...forged,
      action: toAuditActionName(forged.action),
      details: forged.details as never,
    });
    await asOwner(
      db,
      `ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete";
       UPDATE "AuditEvent" SET hash = '${forgedHash}' WHERE seq = ${victim.seq};
       ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete";`,
    );
    const next = rows[8];
    expect(await verifyAuditChain(prisma)).toMatchObject({
      ok: false,
      brokenSeq: next?.seq,
      reason: "prevHash does not match the previous row's hash",
    });
  });
});
