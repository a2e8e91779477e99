import {
  deriveKeyEncryptionKey,
  fieldKid,
  generateDataKey,
  wrapDataKey,
} from "@conclave/auth/field-cipher";
import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp, generateTotpSecret, TOTP_PERIOD_SECONDS } from "@conclave/auth/totp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateDataKeys } from "../src/encryption/rotate-data-keys";
import { totpSecretField } from "../src/encryption/totp-secret-field";
import { signInConsoleUser } from "../src/services/auth/sign-in-console-user";
import { meta } from "./support/fixtures";
import { createTestApi, TEST_DATA_ENCRYPTION_KEY, type TestApi } from "./support/test-api";

const password = "a long enough console password";
const kek = deriveKeyEncryptionKey(TEST_DATA_ENCRYPTION_KEY);

describe("TOTP secrets encrypted at rest", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function account(label: string, store: "encrypted" | "plaintext" = "encrypted") {
    const secret = generateTotpSecret();
    const user = await api.prisma.user.create({
      data: {
        email: `${label}@field.test`,
        role: "ADMIN",
        passwordHash: await hashPassword(password),
      },
    });
    const stored =
      store === "plaintext"
        ? secret
        : await api.deps.fields.encrypt(totpSecretField(user.id), secret);
    await api.prisma.user.update({ where: { id: user.id }, data: { totpSecret: stored } });
    return { id: user.id, email: user.email, secret };
  }

  // A code is accepted once: a user signing in again waits for the next time step.
  const nextStep = () => {
    api.clock.advance(TOTP_PERIOD_SECONDS * 1000);
  };

  async function signIn(user: { email: string; secret: string }, secret = user.secret) {
    const totpCode = generateTotp(secret, api.clock.now());
    try {
      await signInConsoleUser(api.deps, meta(), { email: user.email, password, totpCode });
      return "signed in";
    } catch (error) {
      return error instanceof Error ? error.message : "refused";
    }
  }

  const storedSecret = async (id: string) =>
    (await api.prisma.user.findUniqueOrThrow({ where: { id } })).totpSecret ?? "";

  it("stores the secret encrypted and signs in with it", async () => {
    const ada = await account("ada");
    const stored = await storedSecret(ada.id);
    expect(stored).not.toContain(ada.secret);
    expect(fieldKid(stored)).not.toBeNull();
    expect(await signIn(ada)).toBe("signed in");
  });

  it("refuses a ciphertext copied onto another account, as a wrong code", async () => {
    const owner = await account("owner");
    const thief = await account("thief");
    await api.prisma.user.update({
      where: { id: thief.id },
      data: { totpSecret: await storedSecret(owner.id) },
    });
    // The thief knows the owner's secret: the copied ciphertext still grants nothing.
    expect(await signIn(thief, owner.secret)).not.toBe("signed in");
    nextStep();
    expect(await signIn(thief, thief.secret)).not.toBe("signed in");
    expect(await signIn(owner)).toBe("signed in");
    await api.prisma.user.update({ where: { id: thief.id }, data: { totpSecret: null } });
  });

  it("rotates the data key while the API serves, retiring the old key once unused", async () => {
    const users = await Promise.all(["r1", "r2", "r3"].map((label) => account(label)));
    const legacy = await account("legacy", "plaintext");
    const before = await api.prisma.dataKey.findMany({ where: { retiredAt: null } });
    // Sign-ins keep going during the rotation; each must succeed.
    const during = Promise.all(users.map((user) => signIn(user)));
    const rotation = await rotateDataKeys({
      prisma: api.prisma,
      kek,
      addKey: true,
      now: () => api.clock.now(),
      operator: "test",
      batchSize: 2,
      settleMs: 10,
    });
    expect(await during).toEqual(["signed in", "signed in", "signed in"]);
    expect(rotation.failed).toBe(0);
    expect(rotation.reencrypted).toBeGreaterThanOrEqual(users.length + 1);
    nextStep();
    for (const user of [...users, legacy]) {
      expect(fieldKid(await storedSecret(user.id))).toBe(rotation.activeKid);
      expect(await signIn(user)).toBe("signed in");
    }
    // Every earlier key is unused now: retired, with its key material gone.
    expect(rotation.retired.sort()).toEqual(before.map((key) => key.kid).sort());
    const retired = await api.prisma.dataKey.findMany({ where: { kid: { in: rotation.retired } } });
    expect(retired.every((key) => key.retiredAt !== null && key.wrappedKey === "")).toBe(true);
    const audit = await api.prisma.auditEvent.findFirstOrThrow({
      where: { action: "keys_rotate_data" },
      orderBy: { seq: "desc" },
    });
    expect(audit.details).toMatchObject({ kid: rotation.activeKid, failed: 0 });
  });

  it("finishes an interrupted rotation with --resume, under the newest key", async () => {
    const user = await account("resumed");
    const before = fieldKid(await storedSecret(user.id));
    // A run that crashed right after writing its new key, before moving any field.
    const fresh = generateDataKey();
    await api.prisma.dataKey.create({
      data: { kid: fresh.kid, wrappedKey: wrapDataKey(kek, fresh), kekId: kek.id },
    });
    expect(fieldKid(await storedSecret(user.id))).toBe(before);
    const resumed = await rotateDataKeys({
      prisma: api.prisma,
      kek,
      addKey: false,
      now: () => api.clock.now(),
      operator: "test",
      settleMs: 0,
    });
    expect(resumed.activeKid).toBe(fresh.kid);
    expect(resumed.retired).toContain(before);
    expect(fieldKid(await storedSecret(user.id))).toBe(fresh.kid);
    nextStep();
    expect(await signIn(user)).toBe("signed in");
  });

  it("rewraps the data keys under a new KEK, after which only the new KEK opens them", async () => {
    const user = await account("kek");
    const newKek = deriveKeyEncryptionKey("next-data-encryption-key-9876543210fedcba");
    const rotation = await rotateDataKeys({
      prisma: api.prisma,
      kek: newKek,
      previousKek: kek,
      addKey: false,
      now: () => api.clock.now(),
      operator: "test",
      settleMs: 0,
    });
    expect(rotation.rewrapped).toBeGreaterThan(0);
    const live = await api.prisma.dataKey.findMany({ where: { retiredAt: null } });
    expect(live.every((key) => key.kekId === newKek.id)).toBe(true);
    await expect(
      rotateDataKeys({
        prisma: api.prisma,
        kek,
        addKey: false,
        now: () => api.clock.now(),
        operator: "test",
        settleMs: 0,
      }),
    ).rejects.toThrow(/neither DATA_ENCRYPTION_KEY nor DATA_ENCRYPTION_KEY_PREVIOUS/);
    expect(fieldKid(await storedSecret(user.id))).not.toBeNull();
  });
});
