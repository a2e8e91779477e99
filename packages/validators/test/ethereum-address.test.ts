import { describe, expect, it } from "vitest";
import { ethereumAddressSchema, toChecksumAddress } from "../src/ethereum-address";

// EIP-55 test vectors (the EIP's "all caps", "all lower" and "normal" groups).
const ALL_CAPS = [
  "0x52908400098527886E0F7030069857D2E4169EE7",
  "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
];
const ALL_LOWER = [
  "0xde709f2102306220921060314715629080e2fb77",
  "0x27b1fdb04752bbc536007a920d24acb045561c26",
];
const NORMAL = [
  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

describe("EIP-55 vectors", () => {
  it.each([...ALL_CAPS, ...ALL_LOWER, ...NORMAL])(
    "checksum spelling of %s is itself",
    (address) => {
      expect(toChecksumAddress(address.slice(2))).toBe(address);
    },
  );
  it.each(NORMAL)("accepts %s", (address) => {
    expect(ethereumAddressSchema().parse(address)).toBe(address);
  });
});

describe("ethereum address rules", () => {
  it("rejects a mixed-case address with one letter's case flipped", () => {
    const bad = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
    expect(ethereumAddressSchema().safeParse(bad).success).toBe(false);
  });
  it("refuses single-case (unchecksummed) addresses by default", () => {
    expect(
      ethereumAddressSchema().safeParse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").success,
    ).toBe(false);
    expect(
      ethereumAddressSchema().safeParse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").success,
    ).toBe(false);
  });
  it("accepts single-case addresses when allowed, normalising to the checksum spelling", () => {
    expect(
      ethereumAddressSchema({ allowUnchecksummed: true }).parse(
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
      ),
    ).toBe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  });
  it("rejects wrong length, missing prefix and non-hex", () => {
    const schema = ethereumAddressSchema();
    expect(schema.safeParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA").success).toBe(false);
    expect(schema.safeParse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").success).toBe(false);
    expect(schema.safeParse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg").success).toBe(false);
    expect(schema.safeParse(" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").success).toBe(false);
  });
  it("refuses the zero address", () => {
    expect(ethereumAddressSchema().safeParse(`0x${"0".repeat(40)}`).success).toBe(false);
  });
});
