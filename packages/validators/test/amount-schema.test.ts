import { describe, expect, it } from "vitest";
import { AMOUNT_HARD_LIMITS, amountSchema, parseAmount } from "../src/amount-schema";

describe("amount schema", () => {
  const btc = amountSchema("bitcoin");
  const eth = amountSchema("ethereum");

  it("accepts 1 and the bitcoin supply cap", () => {
    expect(btc.parse("1")).toBe("1");
    expect(btc.parse("2100000000000000")).toBe("2100000000000000");
  });
  it("rejects one satoshi above the supply cap", () => {
    expect(btc.safeParse("2100000000000001").success).toBe(false);
  });
  it("accepts 2^256-1 wei and rejects 2^256", () => {
    expect(eth.safeParse((2n ** 256n - 1n).toString()).success).toBe(true);
    expect(eth.safeParse((2n ** 256n).toString()).success).toBe(false);
  });
  it.each(["0", "00", "01", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "", "１", "1_000"])(
    "rejects %j",
    (value) => {
      expect(btc.safeParse(value).success).toBe(false);
    },
  );
  it("rejects non-strings (numbers lose precision)", () => {
    expect(btc.safeParse(1).success).toBe(false);
  });
  it("rejects very long input before converting it", () => {
    expect(eth.safeParse("9".repeat(79)).success).toBe(false);
  });
  it("honours a configured lower cap and refuses a cap above the hard limit", () => {
    const capped = amountSchema("bitcoin", { max: 100_000n });
    expect(capped.safeParse("100000").success).toBe(true);
    expect(capped.safeParse("100001").success).toBe(false);
    expect(() => amountSchema("bitcoin", { max: AMOUNT_HARD_LIMITS.bitcoin + 1n })).toThrow(
      RangeError,
    );
  });
  it("parseAmount returns the bigint of a canonical amount only", () => {
    expect(parseAmount("42")).toBe(42n);
    expect(() => parseAmount("042")).toThrow(RangeError);
  });
});
