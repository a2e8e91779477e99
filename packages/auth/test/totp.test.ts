import { describe, expect, it } from "vitest";
import { generateTotp, generateTotpSecret, totpStep, totpUri, verifyTotp } from "../src/totp";

// RFC 6238 appendix B: SHA1 key is ASCII "12345678901234567890".
const RFC_SECRET =
  Buffer.from("12345678901234567890").toString("hex") && "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  it.each(RFC_VECTORS)("matches the RFC 6238 SHA1 vector at T=%i", (seconds, code) => {
    expect(generateTotp(RFC_SECRET, new Date(seconds * 1000), { digits: 8 })).toBe(code);
    expect(generateTotp(RFC_SECRET, new Date(seconds * 1000))).toBe(code.slice(2));
  });

  it("accepts the previous, current and next step only", () => {
    const secret = generateTotpSecret();
    const now = new Date(1_900_000_000_000);
    const step = totpStep(now);
    const codeAt = (offset: number) =>
      generateTotp(secret, new Date(now.getTime() + offset * 30_000));
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(secret, codeAt(offset), { now })).toEqual({
        ok: true,
        step: step + offset,
      });
    }
    for (const offset of [-2, 2]) {
      const code = codeAt(offset);
      // A code from 2 steps away can collide with the window by chance (1e-6 each); skip that case.
      if ([-1, 0, 1].some((near) => codeAt(near) === code)) continue;
      expect(verifyTotp(secret, code, { now })).toEqual({ ok: false });
    }
  });

  it("refuses a replayed or older step", () => {
    const secret = generateTotpSecret();
    const now = new Date(1_900_000_000_000);
    const code = generateTotp(secret, now);
    const first = verifyTotp(secret, code, { now });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(verifyTotp(secret, code, { now, lastUsedStep: first.step })).toEqual({ ok: false });
    const next = generateTotp(secret, new Date(now.getTime() + 30_000));
    expect(verifyTotp(secret, next, { now, lastUsedStep: first.step }).ok).toBe(true);
  });

  it("returns false for malformed input", () => {
    const now = new Date(59_000);
    for (const code of ["", "12345", "1234567", "abcdef", "287082x"])
      expect(verifyTotp(RFC_SECRET, code, { now }).ok).toBe(false);
    expect(verifyTotp("not base32!", "287082", { now }).ok).toBe(false);
    expect(verifyTotp(RFC_SECRET, "287 082", { now }).ok).toBe(true);
  });

  it("generates 160-bit base32 secrets and otpauth URIs", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri({ issuer: "Conclave", accountName: "admin@example.com", secret }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Conclave:admin@example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret,
      issuer: "Conclave",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
    expect(() => totpUri({ issuer: "a:b", accountName: "x", secret })).toThrow(RangeError);
  });
});
