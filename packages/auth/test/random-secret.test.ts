import { describe, expect, it } from "vitest";
import {
  generateApiKey,
  generateInvitationCode,
  generateRefreshToken,
  isRefreshTokenFormat,
  normalizeInvitationCode,
  parseApiKey,
  randomToken,
} from "../src/random-secret";

describe("random secrets", () => {
  it("randomToken encodes the requested bytes as base64url", () => {
    expect(Buffer.from(randomToken(32), "base64url")).toHaveLength(32);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => randomToken(8)).toThrow(RangeError);
    expect(() => randomToken(1.5)).toThrow(RangeError);
  });

  it("invitation codes carry >= 128 bits in groups and normalise leniently", () => {
    const code = generateInvitationCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
    expect(code.replace(/-/g, "").length * 5).toBeGreaterThanOrEqual(128);
    const canonical = code.replace(/-/g, "");
    expect(normalizeInvitationCode(code)).toBe(canonical);
    expect(normalizeInvitationCode(` ${code.toLowerCase().replace(/-/g, " ")} `)).toBe(canonical);
    expect(normalizeInvitationCode("O".repeat(14) + "il".repeat(7))).toBe(
      "0".repeat(14) + "1".repeat(14),
    );
    expect(normalizeInvitationCode(canonical.slice(1))).toBeNull();
    expect(normalizeInvitationCode("U".repeat(28))).toBeNull();
    expect(new Set(Array.from({ length: 50 }, generateInvitationCode)).size).toBe(50);
  });

  it("refresh tokens are 256-bit base64url", () => {
    const token = generateRefreshToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(isRefreshTokenFormat(token)).toBe(true);
    expect(isRefreshTokenFormat(`${token}x`)).toBe(false);
  });

  it("API keys parse back into prefix and secret", () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^ck_[0-9a-z]{16}_[0-9a-z]{52}$/);
    expect(parseApiKey(generated.key)).toEqual(generated);
    expect(parseApiKey(`${generated.key}_`)).toBeNull();
    expect(parseApiKey(generated.key.replace("ck_", "xk_"))).toBeNull();
    expect(parseApiKey(generated.prefix)).toBeNull();
    expect(generateApiKey().prefix).not.toBe(generated.prefix);
  });
});
