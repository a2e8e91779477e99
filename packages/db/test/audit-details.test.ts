import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditActionName, toAuditActionName } from "../src/audit/audit-action";
import { auditDetailsSchemas } from "../src/audit/audit-details";
import { AuditDetailsError } from "../src/audit/audit-details-error";
import { verifyAuditChain } from "../src/audit/verify-audit-chain";
import { writeAudit, type AuditEventInput } from "../src/audit/write-audit";
import { createPrismaClient, type PrismaClient } from "../src/create-prisma-client";
import { AuditAction } from "../src/generated/prisma/enums";
import { createTestDatabase, type TestDatabase } from "../src/testing/create-test-database";

const base = { actorType: "USER", actorId: "u-1", outcome: "SUCCESS" } as const;

describe("audit details schemas", () => {
  it("declare a schema for every action in the database enum, and nothing else", () => {
    const actions = Object.values(AuditAction).map(toAuditActionName).sort();
    expect(Object.keys(auditDetailsSchemas).sort()).toEqual(actions);
  });
});

describe("writeAudit details check", () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient({ url: db.appUrl, max: 2 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  // The runtime check is what stops callers the compiler cannot see (plain JS, casts,
  // spreads of loosely typed records): these inputs are deliberately mistyped.
  const refused: [string, AuditActionName, unknown, RegExp][] = [
    [
      "an undeclared field",
      "vault.disable",
      {
        from: "ACTIVE",
        cancelledCeremonies: 0,
        cancelledTransactions: [],
        revokedInvitations: 0,
        password: "hunter2",
      },
      /unrecognized_keys\(password\)/,
    ],
    ["a missing field", "invitation.redeem", {}, /vaultId invalid_type/],
    [
      "a field of the wrong type",
      "signing.share",
      { attempt: 1, signerIndex: "2", valid: true },
      /signerIndex invalid_type/,
    ],
    [
      "details on an action that records none",
      "invitation.revoke",
      { reason: "x" },
      /unrecognized_keys\(reason\)/,
    ],
    [
      "a malformed instant",
      "apikey.create",
      { prefix: "ck_1", scopes: [], expiresAt: "tomorrow" },
      /expiresAt invalid_format/,
    ],
  ];

  it.each(refused)(
    "refuses %s with AuditDetailsError and writes nothing",
    async (_, action, details, message) => {
      const before = await prisma.auditEvent.count();
      const attempt = prisma.$transaction((tx) =>
        writeAudit(tx, { ...base, action, details } as unknown as AuditEventInput),
      );
      await expect(attempt).rejects.toBeInstanceOf(AuditDetailsError);
      await expect(attempt).rejects.toThrow(message);
      await expect(attempt).rejects.not.toThrow(/hunter2/);
      expect(await prisma.auditEvent.count()).toBe(before);
    },
  );

  it("writes details that match, and the chain verifies", async () => {
    const written = await prisma.$transaction(async (tx) => {
      await writeAudit(tx, { ...base, action: "invitation.revoke" });
      return writeAudit(tx, {
        ...base,
        action: "guardian.join",
        outcome: "DENIED",
        details: { reason: "invalid_code", vaultId: "v-1", challengeId: null },
      });
    });
    expect(written.details).toEqual({ reason: "invalid_code", vaultId: "v-1", challengeId: null });
    const stored = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(stored.map((row) => row.details)).toEqual([{}, written.details]);
    expect(await verifyAuditChain(prisma)).toEqual({ ok: true, count: 2 });
  });
});
