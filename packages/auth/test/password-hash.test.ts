import { describe, expect, it } from "vitest";
import {
  hashPassword,
  needsRehash,
  PasswordPolicyError,
  verifyPassword,
} from "../src/password-hash";

describe("password hash", () => {
  it("round-trips with argon2id and the documented parameters", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapl")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    expect(await hashPassword("correct horse battery staple")).not.toBe(stored);
  });

  it("matches NFC and NFD spellings of the same password", async () => {
    const stored = await hashPassword("pa\u00dfw\u00f6rter-sind-lang");
    expect(await verifyPassword(stored, "pa\u00dfwo\u0308rter-sind-lang")).toBe(true);
  });

  it("returns false for malformed or missing hashes instead of throwing", async () => {
    for (const bad of [
      null,
      undefined,
      "",
      "garbage",
      "$argon2id$v=19$m=19456,t=2,p=1$xx$yy",
      "$2b$10$abcdefghijklmnopqrstuv",
    ]) {
      expect(await verifyPassword(bad, "whatever-password")).toBe(false);
    }
    expect(needsRehash("garbage")).toBe(true);
    expect(
      needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43)),
    ).toBe(true);
  });

  it("enforces length bounds", async () => {
    await expect(hashPassword("short")).rejects.toBeInstanceOf(PasswordPolicyError);
    await expect(hashPassword("x".repeat(2000))).rejects.toBeInstanceOf(PasswordPolicyError);
    const stored = await hashPassword("long-enough-password");
    expect(await verifyPassword(stored, "x".repeat(5000))).toBe(false);
  });
});
