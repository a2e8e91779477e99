import { generateTotpSecret } from "@conclave/auth/totp";
import { deriveKeyEncryptionKey, fieldKid } from "@conclave/auth/field-cipher";
import { createFieldCipher } from "@conclave/api/encryption/field-cipher-service";
import { totpSecretField } from "@conclave/api/encryption/totp-secret-field";
import { systemClock } from "@conclave/api/clock/clock";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOperatorCli } from "./run-cli";

const DATA_ENCRYPTION_KEY = "cli-test-data-encryption-key-Q7w9Zx2Lm4Np8Rt";

// Each run starts a CLI process (tsx): seconds apiece on a loaded machine.
describe("operator CLI: keys rotate-data", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient({ url: database.appUrl, max: 2 });
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it("moves every TOTP secret under a new data key, retires the old one and audits", async () => {
    const fields = createFieldCipher({
      prisma,
      kek: deriveKeyEncryptionKey(DATA_ENCRYPTION_KEY),
      clock: systemClock,
      logger: createLogger({ name: "cli-test", level: "silent" }),
    });
    const user = await prisma.user.create({
      data: { email: "rotate@cli.test", role: "ADMIN", passwordHash: "x" },
    });
    const secret = generateTotpSecret();
    const stored = await fields.encrypt(totpSecretField(user.id), secret);
    await prisma.user.update({ where: { id: user.id }, data: { totpSecret: stored } });

    const rotated = await runOperatorCli(["keys", "rotate-data"], {
      NODE_ENV: "test",
      DATABASE_URL: database.appUrl,
      DATA_ENCRYPTION_KEY,
    });
    expect(rotated.stderr).toBe("");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/1 fields re-encrypted, 0 keys rewrapped, 1 keys retired/);
    expect(rotated.stdout).not.toContain(DATA_ENCRYPTION_KEY);

    const now = (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).totpSecret ?? "";
    expect(fieldKid(now)).not.toBe(fieldKid(stored));
    expect(await fields.decrypt(totpSecretField(user.id), now)).toBe(secret);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "keys_rotate_data" },
    });
    expect(audit.actorId).toMatch(/^cli:/);
    expect(JSON.stringify(audit.details)).not.toContain(DATA_ENCRYPTION_KEY);
  });

  it("refuses to run without the KEK, changing nothing", async () => {
    const keys = await prisma.dataKey.count();
    const refused = await runOperatorCli(["keys", "rotate-data"], {
      NODE_ENV: "test",
      DATABASE_URL: database.appUrl,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("DATA_ENCRYPTION_KEY");
    expect(await prisma.dataKey.count()).toBe(keys);
  });
});
