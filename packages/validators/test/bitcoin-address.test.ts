import { describe, expect, it } from "vitest";
import { bitcoinAddressSchema, decodeBitcoinAddress } from "../src/bitcoin-address";
import type { BitcoinNetwork } from "../src/chain-schema";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const networkOf = (address: string): BitcoinNetwork =>
  address.toLowerCase().startsWith("tb1") ? "testnet" : "mainnet";

// BIP350 "valid segwit addresses" with their scriptPubKeys (BIP173's still-valid v0 ones are included).
const BIP350_VALID: [string, string][] = [
  ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
  [
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
  ],
  [
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
  ],
  ["BC1SW50QGDZ25J", "6002751e"],
  ["bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"],
  [
    "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
    "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
  ],
  [
    "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
    "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
  ],
  [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
    "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
  ],
];

// BIP173 and BIP350 invalid segwit addresses (reason as given in the BIPs).
const BIP_INVALID: [string, string][] = [
  ["tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "BIP173 invalid human-readable part"],
  ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "BIP173 invalid checksum"],
  ["BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "BIP173 invalid witness version"],
  ["bc1rw5uspcuh", "BIP173 invalid program length"],
  [
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "BIP173 invalid program length",
  ],
  ["BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "BIP173 invalid program length for witness version 0"],
  ["tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "BIP173 mixed case"],
  ["bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "BIP173 zero padding of more than 4 bits"],
  [
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    "BIP173 non-zero padding in 8-to-5 conversion",
  ],
  ["bc1gmk9yu", "BIP173 empty data section"],
  [
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "BIP350 invalid human-readable part",
  ],
  [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "BIP350 bech32 instead of bech32m",
  ],
  [
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BIP350 bech32 instead of bech32m",
  ],
  [
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "BIP350 bech32 instead of bech32m",
  ],
  ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "BIP350 bech32m instead of bech32"],
  [
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "BIP350 bech32m instead of bech32",
  ],
  [
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BIP350 invalid character in checksum",
  ],
  [
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "BIP350 invalid witness version",
  ],
  ["bc1pw5dgrnzv", "BIP350 invalid program length (1 byte)"],
  [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BIP350 invalid program length (41 bytes)",
  ],
  ["tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "BIP350 mixed case"],
  [
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "BIP350 zero padding of more than 4 bits",
  ],
  [
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "BIP350 non-zero padding in 8-to-5 conversion",
  ],
];

describe("BIP173/BIP350 valid segwit addresses", () => {
  it.each(BIP350_VALID)("%s", (address, scriptPubKey) => {
    const result = decodeBitcoinAddress(address, networkOf(address));
    if (!result.ok) throw new Error(result.reason);
    const version = result.value.witnessVersion ?? -1;
    const op = version === 0 ? "00" : (0x50 + version).toString(16);
    expect(
      op + result.value.program.length.toString(16).padStart(2, "0") + hex(result.value.program),
    ).toBe(scriptPubKey);
  });
});

describe("BIP173/BIP350 invalid segwit addresses", () => {
  it.each(BIP_INVALID)("%s (%s)", (address) => {
    for (const network of ["mainnet", "testnet", "regtest"] as const) {
      expect(decodeBitcoinAddress(address, network).ok).toBe(false);
    }
  });
});

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
