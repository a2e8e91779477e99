import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../src/create-prisma-client";
import { isTransientDatabaseError } from "../src/is-transient-database-error";
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

    const unique = await prisma.user
      .create({ data: { id: "not-a-uuid", email: "x", passwordHash: "x", role: "ADMIN" } })
      .catch((error: unknown) => error);
    expect(unique).toBeInstanceOf(Error);
    expect(isTransientDatabaseError(unique)).toBe(false);
    expect(isTransientDatabaseError(new Error("P2028"))).toBe(false);
  });
});
