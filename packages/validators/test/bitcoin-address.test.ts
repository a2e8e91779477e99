import { describe, expect, it } from "vitest";
import { bitcoinAddressSchema, decodeBitcoinAddress } from "../src/bitcoin-address";

// The BIP173, BIP350 and Bitcoin Core vectors themselves: bitcoin-address-vectors.test.ts.

describe("segwit network and policy rules", () => {
  it("rejects a mainnet address on testnet and vice versa", () => {
    expect(
      decodeBitcoinAddress(
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "testnet",
      ).ok,
    ).toBe(false);
    expect(
      decodeBitcoinAddress(
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "mainnet",
      ).ok,
    ).toBe(false);
  });
  it("accepts P2WPKH, P2WSH and P2TR destinations", () => {
    const schema = bitcoinAddressSchema("mainnet");
    expect(
      schema.safeParse("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").success,
    ).toBe(true);
    expect(schema.safeParse("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4").success).toBe(true);
  });
  it("refuses undefined witness versions as destinations though BIP350 decodes them", () => {
    expect(bitcoinAddressSchema("mainnet").safeParse("BC1SW50QGDZ25J").success).toBe(false);
    expect(
      bitcoinAddressSchema("mainnet").safeParse("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs").success,
    ).toBe(false);
  });
  it("accepts a regtest bcrt address built with the regtest hrp", async () => {
    const { bech32 } = await import("@scure/base");
    const address = bech32.encode("bcrt", [0, ...bech32.toWords(new Uint8Array(20).fill(7))]);
    expect(decodeBitcoinAddress(address, "regtest")).toMatchObject({
      ok: true,
      value: { kind: "p2wpkh" },
    });
    expect(decodeBitcoinAddress(address, "testnet").ok).toBe(false);
  });
});

describe("base58check addresses", () => {
  it.each([
    ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "mainnet", "p2pkh"],
    ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "mainnet", "p2sh"],
    ["1111111111111111111114oLvT2", "mainnet", "p2pkh"],
    ["mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "testnet", "p2pkh"],
    ["2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", "testnet", "p2sh"],
    ["mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "regtest", "p2pkh"],
  ] as const)("%s is a %s %s address", (address, network, kind) => {
    expect(decodeBitcoinAddress(address, network)).toMatchObject({ ok: true, value: { kind } });
  });
  it("rejects a corrupted checksum", () => {
    expect(decodeBitcoinAddress("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "mainnet").ok).toBe(false);
  });
  it("rejects a testnet version byte on mainnet and vice versa", () => {
    expect(decodeBitcoinAddress("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "mainnet").ok).toBe(false);
    expect(decodeBitcoinAddress("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "testnet").ok).toBe(false);
  });
  it("rejects invalid base58 characters and bad payload lengths", () => {
    expect(decodeBitcoinAddress("0BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "mainnet").ok).toBe(false);
    expect(decodeBitcoinAddress("", "mainnet").ok).toBe(false);
    expect(decodeBitcoinAddress("1".repeat(91), "mainnet").ok).toBe(false);
  });
});
