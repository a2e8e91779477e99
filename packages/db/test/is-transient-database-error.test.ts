import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../src/create-prisma-client";
import {
  isTransientDatabaseError,
  transientDatabaseErrorKind,
} from "../src/is-transient-database-error";
import { createTestDatabase, type TestDatabase } from "../src/testing/create-test-database";

describe("isTransientDatabaseError (real PostgreSQL)", () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so a second transaction must wait for the first.
    prisma = createPrismaClient({ url: database.appUrl, max: 1 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it("recognises a transaction that could not start in time, and not other failures", async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = prisma.$transaction(async (tx) => {
      await tx.user.count();
      await held;
    });
    const waiting = await prisma
      .$transaction((tx) => tx.user.count(), { maxWait: 200 })
      .catch((error: unknown) => error);
    release?.();
    await holder;
    expect(isTransientDatabaseError(waiting)).toBe(true);
    expect(transientDatabaseErrorKind(waiting)).toBe("timeout");

    const unique = await prisma.user
      .create({ data: { id: "not-a-uuid", email: "x", passwordHash: "x", role: "ADMIN" } })
      .catch((error: unknown) => error);
    expect(unique).toBeInstanceOf(Error);
    expect(isTransientDatabaseError(unique)).toBe(false);
    expect(transientDatabaseErrorKind(unique)).toBeUndefined();
    expect(isTransientDatabaseError(new Error("P2028"))).toBe(false);
  });

  it("recognises a deadlock between raw row locks (P2010), a retryable conflict", async () => {
    const setup = createPrismaClient({ url: database.ownerUrl, max: 1 });
    try {
      await setup.$executeRawUnsafe('CREATE TABLE "LockProbe" (id int PRIMARY KEY)');
      await setup.$executeRawUnsafe('INSERT INTO "LockProbe" VALUES (1), (2)');
    } finally {
      await setup.$disconnect();
    }
    const owner = createPrismaClient({ url: database.ownerUrl, max: 2 });
    try {
      let firstHolds: () => void = () => undefined;
      let secondHolds: () => void = () => undefined;
      const first = new Promise<void>((resolve) => (firstHolds = resolve));
      const second = new Promise<void>((resolve) => (secondHolds = resolve));
      // Opposite lock order: one of the two is chosen as the deadlock victim.
      const outcomes = await Promise.allSettled([
        owner.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM "LockProbe" WHERE id = 1 FOR UPDATE`;
          firstHolds();
          await second;
          await tx.$queryRaw`SELECT id FROM "LockProbe" WHERE id = 2 FOR UPDATE`;
        }),
        owner.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM "LockProbe" WHERE id = 2 FOR UPDATE`;
          secondHolds();
          await first;
          await tx.$queryRaw`SELECT id FROM "LockProbe" WHERE id = 1 FOR UPDATE`;
        }),
      ]);
      const failures = outcomes.flatMap((outcome) =>
        outcome.status === "rejected" ? [outcome.reason as unknown] : [],
      );
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ code: "P2010" });
      expect(isTransientDatabaseError(failures[0])).toBe(true);
      expect(transientDatabaseErrorKind(failures[0])).toBe("conflict");
    } finally {
      await owner.$disconnect();
    }

    const badRaw = await prisma.$queryRaw`SELECT 1 / 0`.catch((error: unknown) => error);
    expect(badRaw).toMatchObject({ code: "P2010" });
    expect(isTransientDatabaseError(badRaw)).toBe(false);
  });
});
