import { describe, expect, it } from "vitest";
import { formatAmount } from "../src/signing/format-amount";

describe("formatAmount", () => {
  it.each([
    ["bitcoin", "1", "0.00000001 BTC"],
    ["bitcoin", "150000000", "1.5 BTC"],
    ["bitcoin", "2100000000000000", "21000000 BTC"],
    ["ethereum", "1000000000000000000", "1 ETH"],
    ["ethereum", "1234500000000000", "0.0012345 ETH"],
    ["ethereum", "123456789012345678901234567890", "123456789012.34567890123456789 ETH"],
  ])("%s %s -> %s", (chain, amount, expected) => {
    expect(formatAmount(chain, amount)).toBe(expected);
  });

  it("never guesses a unit it does not know", () => {
    expect(formatAmount("dogecoin", "5")).toBe("5 base units");
    expect(formatAmount("bitcoin", "1e3")).toBe("1e3 base units");
  });
});
