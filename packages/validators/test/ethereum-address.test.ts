import { describe, expect, it } from "vitest";
import { ethereumAddressSchema } from "../src/ethereum-address";

// The EIP-55 vectors themselves: ethereum-address-vectors.test.ts.
describe("ethereum address rules", () => {
  it("normalises an address of digits only, which has no letters to checksum", () => {
    const digits = "0x1234567890123456789012345678901234567890";
    expect(ethereumAddressSchema().parse(digits)).toBe(digits);
  });
  it("reads as a refusal inside a larger schema's error", () => {
    const parsed = ethereumAddressSchema().safeParse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      "invalid ethereum address: no-checksum",
    ]);
  });
});
