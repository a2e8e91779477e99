import { describe, expect, it } from "vitest";
import {
  decryptField,
  deriveKeyEncryptionKey,
  encryptField,
  FieldDecryptionError,
  fieldKid,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
  type DataKey,
  type DataKeyRing,
} from "../src/field-cipher";

const ringOf = (active: DataKey, ...older: DataKey[]): DataKeyRing => ({
  active,
  byKid: new Map([active, ...older].map((key) => [key.kid, key])),
});

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const alice = {
  table: "User",
  column: "totpSecret",
  rowId: "0b6a1c9e-1111-4c55-8f1c-0a4f5b6c7d8e",
};
const bob = { ...alice, rowId: "0b6a1c9e-2222-4c55-8f1c-0a4f5b6c7d8e" };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FieldDecryptionError) {
      expect(error.message).not.toContain(SECRET);
      return error.reason;
    }
    throw error;
  }
  return "decrypted";
}

describe("field encryption", () => {
  const ring = ringOf(generateDataKey());

  it("round-trips a value under the active data key, naming that key and nothing else", () => {
    const stored = encryptField(ring, alice, SECRET);
    expect(stored).not.toContain(SECRET);
    expect(fieldKid(stored)).toBe(ring.active.kid);
    expect(decryptField(ring, alice, stored)).toBe(SECRET);
    expect(encryptField(ring, alice, SECRET)).not.toBe(stored);
  });

  it("refuses a ciphertext moved to another row, column or table", () => {
    const stored = encryptField(ring, alice, SECRET);
    expect(refusal(() => decryptField(ring, bob, stored))).toBe("authentication_failed");
    expect(refusal(() => decryptField(ring, { ...alice, column: "memo" }, stored))).toBe(
      "authentication_failed",
    );
    expect(refusal(() => decryptField(ring, { ...alice, table: "Session" }, stored))).toBe(
      "authentication_failed",
    );
  });

  it("refuses a flipped byte, a truncation, an unknown key and plaintext", () => {
    const stored = encryptField(ring, alice, SECRET);
    const body = stored.split(".")[2] ?? "";
    const bytes = Buffer.from(body, "base64url");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    const flipped = `cf1.${ring.active.kid}.${bytes.toString("base64url")}`;
    expect(refusal(() => decryptField(ring, alice, flipped))).toBe("authentication_failed");
    expect(refusal(() => decryptField(ring, alice, stored.slice(0, 40)))).toBe(
      "authentication_failed",
    );
    const other = ringOf(generateDataKey());
    expect(refusal(() => decryptField(other, alice, stored))).toBe("unknown_key");
    expect(refusal(() => decryptField(ring, alice, SECRET))).toBe("malformed");
    expect(refusal(() => decryptField(ring, alice, `${stored}.x`))).toBe("malformed");
  });

  it("decrypts values of an older key once a newer one is active", () => {
    const stored = encryptField(ring, alice, SECRET);
    const rotated = ringOf(generateDataKey(), ring.active);
    expect(decryptField(rotated, alice, stored)).toBe(SECRET);
    expect(fieldKid(encryptField(rotated, alice, SECRET))).toBe(rotated.active.kid);
  });

  it("wraps data keys under the KEK, bound to their kid", () => {
    const kek = deriveKeyEncryptionKey("Kek-Secret-For-Tests-Q7w9Zx2Lm4Np");
    expect(deriveKeyEncryptionKey("Kek-Secret-For-Tests-Q7w9Zx2Lm4Np").id).toBe(kek.id);
    expect(deriveKeyEncryptionKey("Another-Kek-Secret-V3b8Tr5Hy1Jk").id).not.toBe(kek.id);
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(kek, dataKey);
    expect(Buffer.from(unwrapDataKey(kek, dataKey.kid, wrapped).key)).toEqual(
      Buffer.from(dataKey.key),
    );
    expect(refusal(() => unwrapDataKey(kek, "dk-other", wrapped))).toBe("authentication_failed");
    const wrongKek = deriveKeyEncryptionKey("Another-Kek-Secret-V3b8Tr5Hy1Jk");
    expect(refusal(() => unwrapDataKey(wrongKek, dataKey.kid, wrapped))).toBe(
      "authentication_failed",
    );
  });
});
