import { describe, expect, it } from "vitest";
import { constantTimeEqual, pepperedHash, verifyPepperedHash } from "../src/peppered-hash";

const pepper = "conclave-test-pepper-0123456789abcdef";

describe("peppered hash", () => {
  it("is deterministic hex and depends on pepper, purpose and value", () => {
    const hash = pepperedHash(pepper, "invitation-code", "ABCD");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pepperedHash(pepper, "invitation-code", "ABCD")).toBe(hash);
    expect(pepperedHash(pepper, "refresh-token", "ABCD")).not.toBe(hash);
    expect(pepperedHash(pepper, "invitation-code", "ABCE")).not.toBe(hash);
    expect(pepperedHash(`${pepper}x`, "invitation-code", "ABCD")).not.toBe(hash);
  });

  it("verifies and refuses", () => {
    const hash = pepperedHash(pepper, "api-key", "ck_x_y");
    expect(verifyPepperedHash(pepper, "api-key", "ck_x_y", hash)).toBe(true);
    expect(verifyPepperedHash(pepper, "api-key", "ck_x_z", hash)).toBe(false);
    expect(verifyPepperedHash(pepper, "api-key", "ck_x_y", hash.slice(1))).toBe(false);
  });

  it("refuses a short pepper", () => {
    expect(() => pepperedHash("short", "api-key", "v")).toThrow(RangeError);
  });

  it("compares strings", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
