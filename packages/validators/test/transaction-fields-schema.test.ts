import { describe, expect, it } from "vitest";
import { transactionFieldsSchema } from "../src/transaction-fields-schema";

const btc = {
  chain: "bitcoin",
  network: "mainnet",
  destination: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
  amount: "150000",
  memo: "rent",
};
const eth = {
  chain: "ethereum",
  network: "sepolia",
  destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  amount: "1000000000000000000",
  memo: "",
};
const fails = (value: unknown, path: string) => {
  const result = transactionFieldsSchema.safeParse(value);
  expect(result.success).toBe(false);
  expect(result.error?.issues.some((i) => i.path.join(".") === path)).toBe(true);
};

describe("transaction fields", () => {
  it("accepts valid bitcoin and ethereum fields", () => {
    expect(transactionFieldsSchema.parse(btc)).toEqual(btc);
    expect(transactionFieldsSchema.parse(eth)).toEqual(eth);
  });
  it("lowercases an uppercase segwit destination", () => {
    const upper = { ...btc, destination: btc.destination.toUpperCase() };
    expect(transactionFieldsSchema.parse(upper).destination).toBe(btc.destination);
  });
  it("rejects unknown keys", () => {
    expect(transactionFieldsSchema.safeParse({ ...btc, fee: "1" }).success).toBe(false);
  });
  it("rejects an unknown chain", () => {
    fails({ ...btc, chain: "dogecoin" }, "chain");
  });
  it("rejects a network of the other chain", () => {
    fails({ ...btc, network: "sepolia" }, "network");
  });
  it("rejects a bitcoin destination from another network", () => {
    fails(
      { ...btc, destination: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7" },
      "destination",
    );
  });
  it("rejects a bitcoin destination with a bad checksum", () => {
    fails(
      { ...btc, destination: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd" },
      "destination",
    );
  });
  it("rejects an ethereum address as a bitcoin destination", () => {
    fails({ ...btc, destination: eth.destination }, "destination");
  });
  it("rejects an ethereum destination with a bad EIP-55 checksum", () => {
    fails({ ...eth, destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD" }, "destination");
  });
  it("rejects a bitcoin amount above the supply cap", () => {
    fails({ ...btc, amount: "2100000000000001" }, "amount");
  });
  it("rejects a zero or malformed amount", () => {
    fails({ ...eth, amount: "0" }, "amount");
    fails({ ...eth, amount: "1.5" }, "amount");
  });
  it("rejects a memo with a bidi override", () => {
    fails({ ...btc, memo: "refund \u202egnp.exe" }, "memo");
  });
  it("rejects a memo with a control character", () => {
    fails({ ...btc, memo: "line1\nline2" }, "memo");
  });
  it("rejects a memo that is too long", () => {
    fails({ ...btc, memo: "x".repeat(257) }, "memo");
  });
  it("stores the memo in NFC", () => {
    expect(transactionFieldsSchema.parse({ ...btc, memo: "Cafe\u0301" }).memo).toBe("Café");
  });
  it("rejects missing fields", () => {
    const { memo: _memo, ...withoutMemo } = btc;
    fails(withoutMemo, "memo");
  });
});
