import { describe, expect, it } from "vitest";
import { compressedPointHexSchema, hexSchema } from "../src/hex-schemas";
import { uuidSchema, vaultIdSchema } from "../src/id-schemas";

describe("id schemas", () => {
  it("accepts a canonical lowercase UUID", () => {
    expect(vaultIdSchema.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBe(
      "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    );
  });
  it.each([
    "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
    "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
    "3f2504e04f8941d39a0c0305e82c3301",
    "3f2504e0-4f89-41d3-9a0c-0305e82c330",
    "3f2504e0-4f89-41d3-9a0c-0305e82c3301\n",
    "' OR 1=1 --",
  ])("rejects %j", (value) => {
    expect(uuidSchema.safeParse(value).success).toBe(false);
  });
});

describe("hex schemas", () => {
  it("accepts exact-length lowercase hex", () => {
    expect(hexSchema(2).parse("0aff")).toBe("0aff");
  });
  it.each(["0aFF", "0af", "0aff00", "0x0a", "zzzz", ""])("rejects %j for 2 bytes", (value) => {
    expect(hexSchema(2).safeParse(value).success).toBe(false);
  });
  it("refuses a non-positive length at definition time", () => {
    expect(() => hexSchema(0)).toThrow(RangeError);
  });
  it("compressed points need the 02/03 prefix", () => {
    expect(compressedPointHexSchema.safeParse(`02${"11".repeat(32)}`).success).toBe(true);
    expect(compressedPointHexSchema.safeParse(`04${"11".repeat(32)}`).success).toBe(false);
  });
});
